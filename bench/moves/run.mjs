/**
 * How true the animatic's camera moves are (src/media/pan.ts): each move,
 * 6 s at 720x1280 and 24 fps, rendered by its ffmpeg filter from one of the
 * example's keyframes, against the baseline of the same move sampled at exact
 * (sub-pixel) positions, bicubic, computed here in JS. Per move it prints the
 * luma PSNR against that reference; how far each frame-to-frame change is
 * from the reference's, over the reference's mean change (0 is a perfectly
 * even move); the frames that repeat the one before while the reference
 * moves; the sharpness (mean absolute Laplacian) of the move's end frames
 * against the four frames beside them (1.00: no pop where the zoom reaches
 * the whole still); and the filter's CPU. The numbers in pan.ts come from it.
 * usage: node bench/moves/run.mjs [still.png]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copyExample, dist, requireDist, timed } from "../lib/timing.mjs";

requireDist("bench/moves");
const { cameraMove, panFilter, frameCount } = await import(dist("media/pan.js"));
const { toolPath } = await import(dist("media/ffmpeg-path.js"));
const ffmpeg = toolPath("ffmpeg").value;
const [W, H, FPS, SECONDS] = [720, 1280, 24, 6];
const N = frameCount(SECONDS, FPS);

const work = mkdtempSync(join(tmpdir(), "dramake-bench-moves-"));
let still = process.argv[2];
if (!still) {
  // A real keyframe: the example's first scene, built offline into a scratch copy.
  const project = copyExample(work);
  timed(process.execPath, [dist("cli/main.js"), "build", project, "--offline"]);
  const { loadProject } = await import(dist("project/index.js"));
  const loaded = await loadProject(project, { offline: true });
  if (!loaded.ok) throw new Error("bench/moves: the example does not load");
  still = join(project, "build/scenes", loaded.value.scenes[0].id, "keyframe.png");
}

/** Luma planes of `filter` applied to `input` (yuv420p after it, as in a cut). */
function lumaFrames(input, filter, frames) {
  const r = spawnSync(ffmpeg, ["-v", "error", "-i", input, "-filter_complex", `[0:v]${filter}format=yuv420p,format=gray[v]`, "-map", "[v]", "-frames:v", String(frames), "-f", "rawvideo", "-"], { maxBuffer: 2 ** 31 });
  if (r.status !== 0) throw new Error(`bench/moves: ffmpeg failed: ${r.stderr}`);
  return r.stdout;
}

const source = lumaFrames(still, `scale=${W}:${H},`, 1);

// Catmull-Rom (bicubic, a = -0.5) weights of the 4 source samples for each output sample.
const cubic = (t) => {
  t = Math.abs(t);
  return t < 1 ? 1.5 * t ** 3 - 2.5 * t ** 2 + 1 : t < 2 ? -0.5 * t ** 3 + 2.5 * t ** 2 - 4 * t + 2 : 0;
};
function taps(n, sourceN, from, span) {
  const index = new Int32Array(n * 4);
  const weight = new Float64Array(n * 4);
  for (let i = 0; i < n; i++) {
    const s = from + ((i + 0.5) * span) / n - 0.5;
    const base = Math.floor(s);
    for (let k = 0; k < 4; k++) {
      index[i * 4 + k] = Math.min(sourceN - 1, Math.max(0, base - 1 + k));
      weight[i * 4 + k] = cubic(s - (base - 1 + k));
    }
  }
  return { index, weight };
}

/** Frame `n` of move `m` at its exact position: the view pan.ts's expressions describe, unrounded. */
function ideal(m, n) {
  const p = 0.5 - 0.5 * Math.cos((Math.PI * n) / (N - 1));
  const at = (a) => a[0] + (a[1] - a[0]) * p;
  const z = at(m.zoom);
  const x = taps(W, W, (W - W / z) * at(m.cx), W / z);
  const y = taps(H, H, (H - H / z) * at(m.cy), H / z);
  const rows = new Float64Array(W * H);
  for (let j = 0; j < H; j++)
    for (let i = 0; i < W; i++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += x.weight[i * 4 + k] * source[j * W + x.index[i * 4 + k]];
      rows[j * W + i] = s;
    }
  const out = new Float32Array(W * H);
  for (let j = 0; j < H; j++)
    for (let i = 0; i < W; i++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += y.weight[j * 4 + k] * rows[y.index[j * 4 + k] * W + i];
      out[j * W + i] = Math.min(255, Math.max(0, s));
    }
  return out;
}

const change = (a, b) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
};
const sharpness = (g) => {
  let s = 0;
  for (let y = 1; y < H - 1; y++)
    for (let x = 1; x < W - 1; x++) {
      const i = y * W + x;
      s += Math.abs(4 * g[i] - g[i - 1] - g[i + 1] - g[i - W] - g[i + W]);
    }
  return s / ((W - 2) * (H - 2));
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

console.log(`camera moves, ${SECONDS} s at ${W}x${H} ${FPS} fps, against the exact-position bicubic reference:`);
for (const camera of ["slow push-in", "slow pull-back", "pan left", "tilt up"]) {
  const m = cameraMove(camera);
  const filter = `${panFilter({ camera, seconds: SECONDS, size: { width: W, height: H }, fps: FPS })},`;
  const bytes = lumaFrames(still, filter, N);
  const got = Array.from({ length: N }, (_, i) => bytes.subarray(i * W * H, (i + 1) * W * H));
  const cpu = timed(ffmpeg, ["-v", "error", "-i", still, "-filter_complex", `[0:v]${filter}format=yuv420p[v]`, "-map", "[v]", "-frames:v", String(N), "-f", "null", "-"]).cpu;
  let squared = 0;
  let previous;
  const ours = [];
  const theirs = [];
  for (let n = 0; n < N; n++) {
    const want = ideal(m, n);
    for (let i = 0; i < want.length; i++) squared += (got[n][i] - want[i]) ** 2;
    if (previous) {
      ours.push(change(got[n], got[n - 1]));
      theirs.push(change(want, previous));
    }
    previous = want;
  }
  const psnr = 10 * Math.log10(255 ** 2 / (squared / (N * W * H)));
  const uneven = Math.sqrt(mean(ours.map((d, i) => (d - theirs[i]) ** 2))) / mean(theirs);
  const repeats = ours.filter((d, i) => d < 0.01 && theirs[i] > 0.01).length;
  const s = got.map(sharpness);
  const pop = (end, beside) => (s[end] / mean(beside.map((i) => s[i]))).toFixed(2);
  console.log(
    `  ${camera.padEnd(14)} ${psnr.toFixed(1)} dB  uneven ${uneven.toFixed(2)}  repeats ${String(repeats).padStart(3)} of ${N - 1}` +
      `  end sharpness ${pop(0, [1, 2, 3, 4])} / ${pop(N - 1, [N - 5, N - 4, N - 3, N - 2])}  CPU ${(cpu / 1000).toFixed(2)} s`,
  );
}
rmSync(work, { recursive: true, force: true });

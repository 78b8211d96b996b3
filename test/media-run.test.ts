import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmod, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renderCard } from "../src/media/card.js";
import { toolPath } from "../src/media/ffmpeg-path.js";
import { panClip } from "../src/media/pan.js";
import { probe } from "../src/media/probe.js";
import { toWav } from "../src/media/audio.js";
import { commandRunner, processRunner, runFfmpeg, setCommandRunner } from "../src/media/run.js";
// @ts-expect-error plain JS fixture shared with child processes
import { fakeRunner } from "./fixtures/runner/fake-runner.mjs";
import { FPS, must, run, scratch, signal, TINY } from "./media-helpers.js";

test("ffmpeg is found (PATH, FFMPEG_PATH or the installer package); a bad FFMPEG_PATH is a typed failure", async () => {
  assert.ok(must(toolPath("ffmpeg")).length > 0);
  assert.ok(must(toolPath("ffprobe")).length > 0);
  const dir = await scratch("paths");
  const notExecutable = join(dir, "ffmpeg");
  await writeFile(notExecutable, "");
  await chmod(notExecutable, 0o644);
  const r = toolPath("ffmpeg", { ...process.env, FFMPEG_PATH: notExecutable });
  assert.equal(!r.ok && r.error.kind, "tool-missing");
  assert.match(!r.ok ? (r.error as { message: string }).message : "", /FFMPEG_PATH/);
});

test("a failed encode is data: exit code and the tail of stderr, not an exception", async () => {
  const r = await runFfmpeg(["-i", "/nonexistent/input.mp4", "/tmp/never.mp4"], run);
  assert.equal(r.ok, false);
  if (r.ok || r.error.kind !== "tool-failed") return assert.fail(JSON.stringify(r));
  assert.equal(r.error.exitCode, 1);
  assert.match(r.error.stderrTail, /No such file or directory/);
  const p = await probe("/nonexistent/input.mp4", signal);
  assert.equal(!p.ok && p.error.kind, "bad-media");
});

test("a failed encode with subtitles shows ffmpeg's error, not the static build's fontconfig chatter", async () => {
  const dir = await scratch("fontconfig-tail");
  const ass = join(dir, "s.ass");
  await writeFile(
    ass,
    [
      "[Script Info]", "ScriptType: v4.00+", "PlayResX: 180", "PlayResY: 320", "",
      "[V4+ Styles]", "Format: Name, Fontname, Fontsize", "Style: Default,DejaVu Sans,20", "",
      "[Events]", "Format: Layer, Start, End, Style, Text", "Dialogue: 0,0:00:00.00,0:00:01.00,Default,Hi", "",
    ].join("\n"),
  );
  // libass starts fontconfig (about twenty warnings with the bundled ffmpeg on a newer system's
  // /etc/fonts), then x264 refuses the odd width: the error comes last, after the warnings.
  const args = ["-f", "lavfi", "-i", "color=s=180x320:d=0.2", "-vf", `ass=filename=${ass},scale=181:320`, "-c:v", "libx264", join(dir, "out.mp4")];
  const r = await runFfmpeg(args, run);
  if (r.ok || r.error.kind !== "tool-failed") return assert.fail(JSON.stringify(r));
  const shown = r.error.stderrTail.split("\n");
  assert.ok(shown.some((l) => /width not divisible by 2/.test(l)), r.error.stderrTail);
  assert.ok(!shown.some((l) => /unknown element/.test(l)), r.error.stderrTail);
  // The same command's whole stderr, to say how much was left out when there was any.
  const raw = spawnSync(must(toolPath("ffmpeg")), ["-hide_banner", "-nostdin", "-y", ...args], { encoding: "utf8" }).stderr;
  const noise = raw.split("\n").filter((l) => /^Fontconfig warning: .*unknown element/.test(l)).length;
  if (noise > 0) assert.ok(shown.at(-1)!.startsWith(`(${noise} fontconfig warning`), shown.at(-1));
  else assert.ok(!/fontconfig warning/.test(r.error.stderrTail));
});

test("progress goes from 0 to 1 without going back", async () => {
  const dir = await scratch("progress");
  must(await renderCard({ size: TINY, top: [10, 10, 10], bottom: [0, 0, 0], texts: [] }, join(dir, "k.png"), run));
  const seen: number[] = [];
  must(await panClip({ image: join(dir, "k.png"), camera: "push-in", seconds: 2, size: TINY, fps: FPS }, join(dir, "c.mp4"), { signal, progress: (f) => seen.push(f) }));
  assert.equal(seen.at(-1), 1);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! >= seen[i - 1]! && seen[i]! <= 1, JSON.stringify(seen));
});

test("aborting kills ffmpeg at once and leaves no output or temp file behind", async () => {
  const dir = await scratch("abort");
  must(await renderCard({ size: TINY, top: [10, 10, 10], bottom: [0, 0, 0], texts: [] }, join(dir, "k.png"), run));
  const controller = new AbortController();
  const out = join(dir, "long.mp4");
  const started = Date.now();
  // Two minutes at full size: far longer than the test waits.
  const pending = panClip({ image: join(dir, "k.png"), camera: "push-in", seconds: 120, size: { width: 720, height: 1280 }, fps: 24 }, out, { signal: controller.signal });
  setTimeout(() => controller.abort(), 400);
  const r = await pending;
  assert.equal(!r.ok && r.error.kind, "aborted");
  assert.ok(Date.now() - started < 5000, `returned ${Date.now() - started} ms after start`);
  assert.deepEqual((await readdir(dir)).sort(), ["k.png"], "no output, no temp file");
  const ps = spawnSync("ps", ["-eo", "args"], { encoding: "utf8" });
  if (ps.status === 0) assert.ok(!ps.stdout.split("\n").some((l) => l.includes(dir) && l.includes("ffmpeg")), "no ffmpeg left running on our files");
  const already = await panClip({ image: join(dir, "k.png"), camera: "", seconds: 1, size: TINY, fps: FPS }, out, { signal: controller.signal });
  assert.equal(!already.ok && already.error.kind, "aborted", "an aborted signal starts nothing");
});

test("sizes H.264 yuv420p cannot take are refused up front with a reason, not an x264 error", async () => {
  const r = await panClip({ image: "/nonexistent.png", camera: "", seconds: 1, size: { width: 181, height: 320 }, fps: FPS }, "/tmp/never.mp4", run);
  assert.equal(!r.ok && r.error.kind, "invalid-input");
  assert.match(!r.ok ? JSON.stringify(r.error) : "", /even/);
});

test("every tool command goes through the command runner: a fake one sees the argv, writes the output or fails it as data", async () => {
  const dir = await scratch("runner");
  const input = join(dir, "in.wav");
  await writeFile(input, "not read: the fake runs instead of ffmpeg");
  const runner = fakeRunner(processRunner, [
    { match: /-ac 2 /, action: "fail", stderr: "No space left on device" },
    { match: /-ac 1 /, action: "write", bytes: "RIFF fake" },
  ]);
  must(await toWav(input, join(dir, "mono.wav"), 1, { signal, runner }));
  assert.equal(await readFile(join(dir, "mono.wav"), "utf8"), "RIFF fake", "the fake wrote the temp file, renamed into place");
  const failed = await toWav(input, join(dir, "stereo.wav"), 2, { signal, runner });
  assert.equal(!failed.ok && failed.error.kind === "tool-failed" && failed.error.stderrTail, "No space left on device");
  assert.deepEqual((await readdir(dir)).sort(), ["in.wav", "mono.wav"], "a failed command leaves no output or temp file");
  assert.deepEqual(runner.seen.map((c) => [c.tool, c.action, c.args.includes(input)]), [
    ["ffmpeg", "write", true],
    ["ffmpeg", "fail", true],
  ]);

  // Callers that name no runner (probe) use the process-wide one.
  const previous = setCommandRunner(fakeRunner(processRunner, [{ match: /^ffprobe /, action: "fail", stderr: "fake probe" }]));
  try {
    const p = await probe(input, signal);
    assert.equal(!p.ok && p.error.kind, "bad-media");
  } finally {
    setCommandRunner(previous);
  }
  assert.equal(commandRunner(), processRunner, "put back");
});

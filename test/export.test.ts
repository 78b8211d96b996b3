/**
 * `dramake export` (issue 31) on the tiny offline project, built once through
 * the real CLI: the MLT rendered headless by Debian's `melt` and compared with
 * dramake's own MP4 (frames, PSNR), MLT and FCPXML through `xmllint`, the
 * OTIO against the schema OpenTimelineIO documents, the EDL's timecodes, the
 * stems' null test against the mix and the mix against the MP4's sound, a
 * re-export that rewrites nothing, and a series exported per episode.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { toolPath } from "../src/media/ffmpeg-path.js";
import { parseSrt } from "../src/media/subtitles.js";
import { decodeFloatWav } from "../src/report/export/stems.js";
import { copyFixture, runCli } from "./build-helpers.js";

const FPS = 12;
const MELT = "/usr/bin/melt";
const ffmpeg = () => {
  const t = toolPath("ffmpeg");
  assert.ok(t.ok);
  return t.value;
};
const ffprobe = () => {
  const t = toolPath("ffprobe");
  assert.ok(t.ok);
  return t.value;
};

let dir = "";
let out = "";
/** The MP4's video frames, counted by decoding. */
let mp4Frames = 0;

function countFrames(file: string): number {
  const text = execFileSync(ffprobe(), ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file], { encoding: "utf8" });
  return Number(text.trim());
}

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}

before(async () => {
  dir = await copyFixture("builds/tiny");
  out = join(dir, "exported");
  const built = await runCli(["build", dir, "-q"]);
  assert.equal(built.code, 0, built.stderr);
  mp4Frames = countFrames(join(dir, "build/tiny-test.mp4"));
  assert.ok(mp4Frames > 0);
});

test("before a build: a clear error that says to build first, exit 2, nothing written", async () => {
  const fresh = await copyFixture("builds/tiny");
  const r = await runCli(["export", "otio", fresh, "-o", join(fresh, "x")]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^dramake export: final is not built \(\d+ steps out of date, e\.g\. [^)]+\): run 'dramake build' first\n$/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.equal(existsSync(join(fresh, "x")), false);
  const bad = await runCli(["export", "avi", fresh]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown format 'avi': one of mlt, otio, fcpxml, edl, stems/);
});

test("MLT: well-formed, and melt renders it to the MP4's length and picture", async (t) => {
  const r = await runCli(["export", "mlt", dir, "-o", out]);
  assert.equal(r.code, 0, r.stderr);
  const mlt = join(out, "tiny-test.mlt");
  execFileSync("xmllint", ["--noout", mlt]);
  const text = await readFile(mlt, "utf8");
  // Every resource is relative and there, in the export directory.
  const resources = [...text.matchAll(/<property name="resource">([^<]+)<\/property>/g)].map((m) => m[1]!);
  assert.ok(resources.length >= 4);
  for (const res of resources) {
    assert.ok(!res.startsWith("/"), res);
    assert.ok(existsSync(join(out, res)), res);
  }
  // The picture track's entries add up to the MP4 (out points are inclusive).
  const v1 = /<playlist id="V1">([\s\S]*?)<\/playlist>/.exec(text)![1]!;
  const frames = [...v1.matchAll(/in="(\d+)" out="(\d+)"/g)].reduce((n, m) => n + Number(m[2]) - Number(m[1]) + 1, 0);
  assert.equal(frames, mp4Frames);
  assert.match(text, /<property name="mlt_service">volume<\/property>\s*<property name="level">0=-9\.12;/);
  // The subtitles: the episode's .srt as a (disabled: burned in already) subtitles filter.
  assert.match(text, /<property name="mlt_service">avfilter\.subtitles<\/property>\s*<property name="av\.filename">tiny-test\.srt<\/property>\s*<property name="disable">1<\/property>/);
  assert.ok(existsSync(join(out, "tiny-test.srt")));

  if (!existsSync(MELT)) {
    t.skip("melt is not installed (apt-get install melt): the render check did not run");
    return;
  }
  const rendered = join(dir, "melt.mp4");
  execFileSync(MELT, ["-quiet", mlt, "-consumer", `avformat:${rendered}`, "vcodec=libx264", "crf=12", "acodec=aac"], { cwd: out, stdio: "ignore" });
  const meltFrames = countFrames(rendered);
  assert.ok(Math.abs(meltFrames - mp4Frames) <= 1, `melt rendered ${meltFrames} frames, the MP4 has ${mp4Frames}`);
  // PSNR per frame between melt's render and dramake's MP4; every 4th frame sampled.
  const stats = execFileSync(ffmpeg(), ["-v", "error", "-i", rendered, "-i", join(dir, "build/tiny-test.mp4"), "-lavfi", "[0:v][1:v]psnr=stats_file=-", "-f", "null", "-"], { encoding: "utf8" });
  const psnr = [...stats.matchAll(/psnr_avg:([\d.]+|inf)/g)].map((m) => (m[1] === "inf" ? 100 : Number(m[1])));
  assert.ok(psnr.length >= mp4Frames - 1);
  const sampled = psnr.filter((_, i) => i % 4 === 0);
  // Two encodes of the same pictures measure 34-40 dB here; a clip a frame early or late, or in the
  // wrong order, falls under 20 dB at its cuts.
  const THRESHOLD = 30;
  const worst = Math.min(...sampled);
  assert.ok(worst > THRESHOLD, `PSNR at sampled frames: min ${worst.toFixed(2)} dB (all: ${sampled.map((p) => p.toFixed(1)).join(" ")})`);

  // The music's ducking keyframes take effect in melt: the music alone, rendered with its keys and
  // with its level held flat, differs by the duck (12 dB) in the middle of a ducked stretch.
  const keys = /<property name="level">([^<]+)<\/property>/.exec(text)![1]!.split(";").map((k) => k.split("=").map(Number) as [number, number]);
  const low = keys.findIndex(([, db]) => db < -20);
  const [from, to] = [keys[low]![0], keys[low + 1]![0]];
  assert.ok(to - from >= 4, `a ducked stretch of ${to - from} frames`);
  const musicOnly = text.replace(/<track producer="(V1|A1|A2|A3)" hide="\w+"\/>/g, '<track producer="$1" hide="both"/>');
  /** RMS dBFS of the render's sound over the ducked stretch (a frame in from each end). */
  const rms = async (mltText: string, name: string): Promise<number> => {
    const file = join(out, `${name}.mlt`);
    await writeFile(file, mltText);
    const wav = join(dir, `${name}.wav`);
    execFileSync(MELT, ["-quiet", file, "-consumer", `avformat:${wav}`, "acodec=pcm_s16le"], { cwd: out, stdio: "ignore" });
    await rm(file);
    const log = spawnSync(ffmpeg(), ["-hide_banner", "-i", wav, "-af", `atrim=start=${(from + 1) / FPS}:end=${(to - 1) / FPS},astats`, "-f", "null", "-"], { encoding: "utf8" }).stderr;
    return Number(/Overall[\s\S]*RMS level dB: (-?[\d.]+)/.exec(log)![1]);
  };
  const ducked = await rms(musicOnly, "music-keys");
  const flat = await rms(musicOnly.replace(/<property name="level">[^<]+<\/property>/, '<property name="level">0=-9.12</property>'), "music-flat");
  assert.ok(Math.abs(flat - ducked - 12) < 1.5, `music under speech ${ducked.toFixed(1)} dB with its keys, ${flat.toFixed(1)} dB flat`);
});

test("FCPXML 1.10: well-formed, assets resolve, the spine adds up to the MP4 in rational seconds", async () => {
  const r = await runCli(["export", "fcpxml", dir, "-o", out]);
  assert.equal(r.code, 0, r.stderr);
  const file = join(out, "tiny-test.fcpxml");
  execFileSync("xmllint", ["--noout", file]);
  const text = await readFile(file, "utf8");
  assert.match(text, /<fcpxml version="1\.10">/);
  assert.match(text, new RegExp(`<format id="r1" [^>]*frameDuration="1/${FPS}s" width="180" height="320"`));
  const seconds = (v: string) => {
    if (v === "0s") return 0;
    const m = /^(\d+)\/(\d+)s$/.exec(v);
    assert.ok(m, `not rational seconds: ${v}`);
    return Number(m[1]) / Number(m[2]);
  };
  const assets = new Map([...text.matchAll(/<asset id="(r\d+)"[^>]*>\s*<media-rep kind="original-media" src="([^"]+)"/g)].map((m) => [m[1]!, m[2]!]));
  for (const src of assets.values()) assert.ok(existsSync(join(out, src)), src);
  const spine = /<spine>([\s\S]*)<\/spine>/.exec(text)![1]!;
  const clips = [...spine.matchAll(/^ {8}<asset-clip ref="(r\d+)" name="[^"]*" offset="([^"]+)" start="([^"]+)" duration="([^"]+)"/gm)];
  assert.equal(clips.length, 3);
  let at = 0;
  for (const c of clips) {
    assert.ok(assets.has(c[1]!));
    assert.equal(seconds(c[2]!), at, "each clip starts where the one before ends");
    at += seconds(c[4]!);
  }
  assert.ok(Math.abs(at * FPS - mp4Frames) <= 1, `spine ${at * FPS} frames, MP4 ${mp4Frames}`);
  const sequence = /<sequence [^>]*duration="([^"]+)"/.exec(text)![1]!;
  assert.equal(seconds(sequence), at);
  // Dialogue and music hang below the picture on lanes; the music carries its ducking as keyframes.
  assert.match(text, /lane="-1"/);
  assert.match(text, /<keyframe time="[^"]+" value="-21\.12dB"\/>/);
  // The subtitles: a marker per cue carrying its text.
  const srt = parseSrt(await readFile(join(dir, "build/tiny-test.srt"), "utf8"));
  assert.deepEqual([...text.matchAll(/<marker start="[^"]+" duration="[^"]+" value="([^"]*)"\/>/g)].map((m) => m[1]), srt.map((c) => c.text.replace(/\n/g, " ")));
});

type Otio = { OTIO_SCHEMA: string; [k: string]: unknown };

test("OTIO: the documented schema (names, versions, rational times), ranges adding up to the MP4", async () => {
  const r = await runCli(["export", "otio", dir, "-o", out]);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(await readFile(join(out, "tiny-test.otio"), "utf8")) as Otio;
  const KNOWN = new Set(["Timeline.1", "Stack.1", "Track.1", "Clip.1", "Gap.1", "Transition.1", "Marker.2", "ExternalReference.1", "TimeRange.1", "RationalTime.1"]);
  const REQUIRED: Record<string, string[]> = {
    "Timeline.1": ["name", "tracks", "metadata", "global_start_time"],
    "Stack.1": ["name", "children", "source_range", "effects", "markers", "metadata"],
    "Track.1": ["name", "kind", "children", "source_range", "effects", "markers", "metadata"],
    "Clip.1": ["name", "source_range", "media_reference", "effects", "markers", "metadata"],
    "Gap.1": ["name", "source_range", "effects", "markers", "metadata"],
    "Marker.2": ["name", "marked_range", "color", "metadata"],
    "ExternalReference.1": ["target_url", "available_range", "metadata"],
    "TimeRange.1": ["start_time", "duration"],
    "RationalTime.1": ["rate", "value"],
  };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== "object") return;
    const o = node as Record<string, unknown>;
    if ("OTIO_SCHEMA" in o) {
      const schema = o.OTIO_SCHEMA as string;
      assert.ok(KNOWN.has(schema), `unknown schema ${schema}`);
      for (const key of REQUIRED[schema] ?? []) assert.ok(key in o, `${schema} without ${key}`);
      if (schema === "RationalTime.1") {
        assert.equal(o.rate, FPS);
        assert.ok(Number.isInteger(o.value) && (o.value as number) >= 0, `value ${String(o.value)}`);
      }
    }
    Object.entries(o).forEach(([k, v]) => k !== "metadata" && walk(v));
  };
  walk(doc);
  assert.equal(doc.OTIO_SCHEMA, "Timeline.1");
  const tracks = (doc.tracks as { children: Otio[] }).children;
  const value = (t: unknown) => (t as { value: number }).value;
  const length = (items: Otio[]) => items.filter((c) => c.OTIO_SCHEMA !== "Transition.1").reduce((n, c) => n + value((c.source_range as { duration: unknown }).duration), 0);
  const video = tracks.filter((t) => t.kind === "Video");
  assert.equal(video.length, 1);
  const picture = video[0]!.children as Otio[];
  assert.ok(Math.abs(length(picture) - mp4Frames) <= 1, `picture ${length(picture)} frames, MP4 ${mp4Frames}`);
  for (const c of picture) {
    const ref = c.media_reference as { target_url: string; available_range: { duration: unknown } };
    const range = c.source_range as { start_time: unknown; duration: unknown };
    assert.ok(value(range.start_time) + value(range.duration) <= value(ref.available_range.duration));
    assert.ok(existsSync(join(out, ref.target_url)), ref.target_url);
    const meta = (c.metadata as { dramake: { scene: string; shot: string; take: number } }).dramake;
    assert.equal(meta.shot, meta.scene);
    assert.equal(meta.take, 1);
  }
  // Dialogue per speaker and the music, never past the picture.
  const audio = tracks.filter((t) => t.kind === "Audio").map((t) => t.name);
  assert.deepEqual(audio, ["Ann", "Bob", "Narrator", "Music"]);
  for (const t of tracks) assert.ok(length(t.children as Otio[]) <= mp4Frames, `${String(t.name)} runs past the picture`);
  // Subtitles: markers carrying the SRT's text, at its times (to the frame).
  const srt = parseSrt(await readFile(join(dir, "build/tiny-test.srt"), "utf8"));
  const markers = video[0]!.markers as { name: string; marked_range: { start_time: unknown } }[];
  assert.deepEqual(markers.map((m) => m.name), srt.map((c) => c.text));
  markers.forEach((m, i) => assert.ok(Math.abs(value(m.marked_range.start_time) - srt[i]!.start * FPS) <= 1));
});

test("EDL: CMX 3600 events whose record timecodes follow on and end at the MP4's length", async () => {
  const r = await runCli(["export", "edl", dir, "-o", out]);
  assert.equal(r.code, 0, r.stderr);
  const text = await readFile(join(out, "tiny-test.edl"), "utf8");
  assert.match(text, /^TITLE: TINY TEST\nFCM: NON-DROP FRAME\n/);
  const tc = (s: string) => {
    const [h, m, sec, f] = s.split(":").map(Number) as [number, number, number, number];
    assert.ok(f < FPS);
    return ((h * 60 + m) * 60 + sec) * FPS + f;
  };
  const events = [...text.matchAll(/^(\d{3})  AX\s+V\s+C\s+(\S+) (\S+) (\S+) (\S+)$/gm)];
  assert.equal(events.length, 3);
  let at = 0;
  events.forEach((e, i) => {
    assert.equal(Number(e[1]), i + 1);
    assert.equal(tc(e[4]!), at);
    assert.equal(tc(e[3]!) - tc(e[2]!), tc(e[5]!) - tc(e[4]!), "source and record durations agree");
    at = tc(e[5]!);
  });
  assert.ok(Math.abs(at - mp4Frames) <= 1, `EDL ends at ${at}, MP4 has ${mp4Frames} frames`);
});

test("stems: dialogue per speaker, music, the mix; mix minus their sum under -60 dBFS; the mix is the MP4's sound", async () => {
  const r = await runCli(["export", "stems", dir, "-o", out]);
  assert.equal(r.code, 0, r.stderr);
  const stems = join(out, "tiny-test-stems");
  const names = (await readdir(stems)).sort();
  assert.deepEqual(names, ["dialogue-ann.wav", "dialogue-bob.wav", "dialogue-narrator.wav", "mix.wav", "music.wav", "stems.json"]);
  const read = async (f: string) => {
    const w = decodeFloatWav(new Uint8Array(await readFile(join(stems, f))));
    assert.ok(w, `${f} is not a float WAV`);
    assert.equal(w.sampleRate, 48000);
    assert.equal(w.channels, 2);
    return w.samples;
  };
  const mix = await read("mix.wav");
  const parts = await Promise.all(names.filter((n) => n.endsWith(".wav") && n !== "mix.wav").map(read));
  const dB = (x: number) => 20 * Math.log10(Math.max(x, 1e-12));
  let residual = 0;
  for (let i = 0; i < mix.length; i++) {
    let sum = 0;
    for (const p of parts) sum += p[i]!;
    residual = Math.max(residual, Math.abs(mix[i]! - sum));
  }
  assert.ok(dB(residual) < -60, `mix minus the stems peaks at ${dB(residual).toFixed(1)} dBFS`);
  // Every stem has sound of its own (a speaker's stem is not silence, nor a copy of another's).
  for (const [i, p] of parts.entries()) assert.ok(dB(p.reduce((m, x) => Math.max(m, Math.abs(x)), 0)) > -40, `${names[i]} is silent`);
  // The mix is the MP4's sound: decoded, they differ by the AAC coding only (measured -57 dBFS RMS).
  const decoded = execFileSync(ffmpeg(), ["-v", "error", "-i", join(dir, "build/tiny-test.mp4"), "-vn", "-f", "f32le", "-ac", "2", "-ar", "48000", "-"], { maxBuffer: 1 << 28 });
  const mp4 = new Float32Array(decoded.buffer, decoded.byteOffset, Math.floor(decoded.byteLength / 4));
  assert.ok(Math.abs(mp4.length - mix.length) <= 2 * 1024 * 2, `MP4 ${mp4.length / 2} samples, mix ${mix.length / 2}`);
  let diff = 0;
  let energy = 0;
  const n = Math.min(mp4.length, mix.length);
  for (let i = 0; i < n; i++) {
    diff += (mp4[i]! - mix[i]!) ** 2;
    energy += mix[i]! ** 2;
  }
  const rms = 10 * Math.log10(diff / n);
  assert.ok(rms < -45, `the MP4's sound differs from the mix stem by ${rms.toFixed(1)} dBFS RMS (mix ${(10 * Math.log10(energy / n)).toFixed(1)} dBFS)`);
  const manifest = JSON.parse(await readFile(join(stems, "stems.json"), "utf8")) as { limiter: { delaySamples: number; deepestDb: number } };
  assert.ok(manifest.limiter.delaySamples > 40 && manifest.limiter.delaySamples < 56);
  assert.ok(manifest.limiter.deepestDb > -6, `the limiter cut ${manifest.limiter.deepestDb} dB: the buses do not match the mix`);
});

test("exporting an unchanged episode again rewrites nothing (mtimes unchanged); media are hard links", async () => {
  for (const f of ["mlt", "otio", "fcpxml", "edl", "stems"]) assert.equal((await runCli(["export", f, dir, "-o", out])).code, 0);
  const files = await filesUnder(out);
  const before = await Promise.all(files.map(async (f) => (await stat(f)).mtimeMs));
  await new Promise((r) => setTimeout(r, 30));
  for (const f of ["mlt", "otio", "fcpxml", "edl", "stems"]) {
    const r = await runCli(["export", f, dir, "-o", out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /: unchanged\n$/);
  }
  assert.deepEqual(await filesUnder(out), files);
  const after = await Promise.all(files.map(async (f) => (await stat(f)).mtimeMs));
  assert.deepEqual(after, before);
  const cut = await stat(join(out, "media/tiny-test/01-hello.mp4"));
  assert.ok(cut.nlink >= 2, "a cut is linked from the cache, not copied");
});

test("a series: -t exports one timeline per episode; an episode not built is refused", async () => {
  const series = await copyFixture("builds/series");
  const built = await runCli(["build", series, "-q", "--target", "episode/01"]);
  assert.equal(built.code, 0, built.stderr);
  const to = join(series, "exported");
  const one = await runCli(["export", "otio", series, "-t", "episode/01", "-o", to]);
  assert.equal(one.code, 0, one.stderr);
  assert.deepEqual((await readdir(to)).filter((f) => f.endsWith(".otio")), ["01-hello.otio"]);
  const frames = countFrames(join(series, "build/tiny-series/01-hello.mp4"));
  const doc = JSON.parse(await readFile(join(to, "01-hello.otio"), "utf8")) as { tracks: { children: { kind: string; children: { source_range: { duration: { value: number } } }[] }[] } };
  const picture = doc.tracks.children.find((t) => t.kind === "Video")!.children.reduce((n, c) => n + c.source_range.duration.value, 0);
  assert.ok(Math.abs(picture - frames) <= 1);
  const other = await runCli(["export", "edl", series, "-t", "episode/02", "-o", to]);
  assert.equal(other.code, 2);
  assert.match(other.stderr, /episode\/02\/final is not built .*: run 'dramake build -t episode\/02' first/);
  const typo = await runCli(["export", "edl", series, "-t", "episode/2", "-o", to]);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /-t episode\/2: no such episode \(episodes: episode\/01, episode\/02, episode\/03\)/);
});

test("the four timelines agree: the same cuts and the same audio clips at the same frames", async () => {
  for (const f of ["mlt", "otio", "fcpxml", "edl"]) assert.equal((await runCli(["export", f, dir, "-o", out])).code, 0);
  const read = (ext: string) => readFile(join(out, `tiny-test.${ext}`), "utf8");
  const [mlt, otio, fcpxml, edl] = await Promise.all(["mlt", "otio", "fcpxml", "edl"].map(read)) as [string, string, string, string];
  type Placed = [track: string, start: number, duration: number];
  const frames = (v: string) => (v === "0s" ? 0 : (Number(/^(\d+)\/(\d+)s$/.exec(v)![1]) * FPS) / Number(/^(\d+)\/(\d+)s$/.exec(v)![2]));

  // OTIO: every clip on every track, placed by summing what comes before it.
  const doc = JSON.parse(otio) as { tracks: { children: { name: string; children: { OTIO_SCHEMA: string; source_range: { duration: { value: number } } }[] }[] } };
  const fromOtio: Placed[] = [];
  for (const track of doc.tracks.children) {
    let at = 0;
    for (const c of track.children) {
      if (c.OTIO_SCHEMA === "Clip.1") fromOtio.push([track.name, at, c.source_range.duration.value]);
      at += c.source_range.duration.value;
    }
  }
  // MLT: the same walk over each playlist's blanks and entries (out inclusive).
  const fromMlt: Placed[] = [];
  for (const p of mlt.matchAll(/<playlist id="\w+">([\s\S]*?)<\/playlist>/g)) {
    const name = /shotcut:name">([^<]+)</.exec(p[1]!)![1]!;
    let at = 0;
    for (const item of p[1]!.matchAll(/<blank length="(\d+)"\/>|<entry producer="\w+" in="(\d+)" out="(\d+)"/g)) {
      if (item[1]) at += Number(item[1]);
      else {
        const d = Number(item[3]) - Number(item[2]) + 1;
        fromMlt.push([name, at, d]);
        at += d;
      }
    }
  }
  // FCPXML: spine clips by offset; a lane's clip at its parent's offset plus its offset past the parent's start.
  const fromFcp: Placed[] = [];
  const laneNames = fromOtio.map(([t]) => t).filter((t, i, all) => t !== "V1" && all.indexOf(t) === i);
  for (const clip of fcpxml.matchAll(/^ {8}<asset-clip ref="r\d+" name="[^"]*" offset="([^"]+)" start="([^"]+)" duration="([^"]+)"[\s\S]*?^ {8}<\/asset-clip>/gm)) {
    const [offset, start] = [frames(clip[1]!), frames(clip[2]!)];
    fromFcp.push(["V1", offset, frames(clip[3]!)]);
    for (const c of clip[0].matchAll(/<asset-clip ref="r\d+" lane="-(\d+)" name="[^"]*" offset="([^"]+)" start="[^"]+" duration="([^"]+)"/g)) {
      fromFcp.push([laneNames[Number(c[1]) - 1]!, offset + frames(c[2]!) - start, frames(c[3]!)]);
    }
  }
  // EDL: the picture's record in and out.
  const tc = (s: string) => s.split(":").map(Number).reduce((n, x, i) => (i < 3 ? n * 60 + x : n * FPS + x), 0);
  const fromEdl: Placed[] = [...edl.matchAll(/^\d{3} .* (\S+) (\S+)$/gm)].map((m) => ["V1", tc(m[1]!), tc(m[2]!) - tc(m[1]!)]);

  const sorted = (p: Placed[]) => [...p].sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]);
  assert.ok(fromOtio.length >= 8, `${fromOtio.length} clips`);
  assert.deepEqual(sorted(fromMlt), sorted(fromOtio));
  assert.deepEqual(sorted(fromFcp), sorted(fromOtio));
  assert.deepEqual(fromEdl, fromOtio.filter(([t]) => t === "V1"));
});

test("across file systems the media are copied, and an unchanged re-export still rewrites nothing", async (t) => {
  // /dev/shm is a tmpfs: another device than the project's temp dir, where a hard link cannot go.
  const shm = "/dev/shm";
  if (!existsSync(shm) || (await stat(shm)).dev === (await stat(dir)).dev) {
    t.skip("no second file system at /dev/shm: the copy fallback was not exercised");
    return;
  }
  const { mkdtemp } = await import("node:fs/promises");
  const there = await mkdtemp(join(shm, "dramake-export-"));
  try {
    assert.equal((await runCli(["export", "mlt", dir, "-o", there])).code, 0);
    const cut = join(there, "media/tiny-test/01-hello.mp4");
    assert.equal((await stat(cut)).nlink, 1, "a copy, not a link");
    assert.deepEqual(await readFile(cut), await readFile(join(dir, "build/scenes/hello/cut.mp4")));
    const files = await filesUnder(there);
    const before = await Promise.all(files.map(async (f) => (await stat(f)).mtimeMs));
    const again = await runCli(["export", "mlt", dir, "-o", there]);
    assert.match(again.stderr, /: unchanged\n$/);
    assert.deepEqual(await Promise.all(files.map(async (f) => (await stat(f)).mtimeMs)), before);
  } finally {
    await rm(there, { recursive: true, force: true });
  }
});

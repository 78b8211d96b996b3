/**
 * Issue 33 item 20: the same cut built twice, the second time while both
 * cores are busy, must be the same bytes (a cut's key names its bytes). The
 * cut exercises every run-time choice at once: swscale (the move's zoompan
 * and the scaling), libass (CJK subtitles through fontconfig) and x264 with
 * its pinned thread count. A delivery (Lanczos scaling, loudnorm, AAC) is
 * held to the same rule.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import test from "node:test";
import { cutScene } from "../src/media/cut.js";
import { deliver } from "../src/media/deliver.js";
import { PRESETS } from "../src/media/presets.js";
import { runFfmpeg } from "../src/media/run.js";
import { writeSubtitles } from "../src/media/subtitles.js";
import { digest, must, run, scratch } from "./media-helpers.js";

const SIZE = { width: 360, height: 640 };
let dir: string;

/** Busy-loop processes, one per core, until `stop`: they are ours, ended by their pids. */
function burn(n = 2): { stop: () => void; children: ChildProcess[] } {
  const children = Array.from({ length: n }, () => spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" }));
  return {
    children,
    stop: () => {
      for (const c of children) if (c.pid) process.kill(c.pid, "SIGKILL");
    },
  };
}

test.before(async () => {
  dir = await scratch("determinism");
  must(await runFfmpeg(["-f", "lavfi", "-i", "testsrc2=s=720x1280", "-frames:v", "1", join(dir, "key.png")], run));
  must(await runFfmpeg(["-f", "lavfi", "-i", "anoisesrc=a=0.1:c=pink:d=4,tremolo=f=4:d=0.8", "-ac", "1", "-ar", "48000", join(dir, "voice.wav")], run));
});

test("a cut built twice, the second time while every core is busy, is the same bytes (issue 33 item 20)", async (t) => {
  const subs = writeSubtitles(
    [{ speaker: "王爷爷", text: "小伟？你不回家过年了吗？没关系，没关系，你忙你的，照顾好自己。" }],
    [{ index: 0, start: 0.2, end: 3.6 }],
    { language: "zh", size: SIZE },
  );
  const input = { clip: { still: join(dir, "key.png"), camera: "slow push-in" }, dialogue: join(dir, "voice.wav"), ass: subs.ass, seconds: 4, size: SIZE, fps: 24 };
  const quiet = join(dir, "quiet.mp4");
  must(await cutScene(input, quiet, run));
  const want = await digest(quiet);
  const load = burn();
  try {
    for (let i = 0; i < 2; i++) {
      const busy = join(dir, `busy${i}.mp4`);
      const started = Date.now();
      must(await cutScene(input, busy, run));
      t.diagnostic(`loaded build ${i}: ${Date.now() - started} ms`);
      assert.equal(await digest(busy), want, `build ${i} under load differs`);
    }
  } finally {
    load.stop();
  }
});

test("a delivery made twice, once under load, is the same bytes", async () => {
  const cut = join(dir, "quiet.mp4");
  const a = join(dir, "a.mp4");
  const b = join(dir, "b.mp4");
  const preset = { ...PRESETS.douyin, size: { width: 540, height: 960 }, name: "half" };
  must(await deliver({ final: cut, preset }, a, run));
  const load = burn();
  try {
    must(await deliver({ final: cut, preset }, b, run));
  } finally {
    load.stop();
  }
  assert.equal(await digest(b), await digest(a));
});

/**
 * Issue 32: a real platform preset through `dramake build`, in a series (the
 * smallest one: one episode of one short scene, so the 1080x1920 encode stays
 * short): the delivery probes at the preset's size and frame rate and
 * measures at its loudness within 0.5 LU under its true peak (ebur128); the
 * episode's own end card and its delivery carry the episode's step ids and
 * the episode's file name.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureLoudness } from "../src/media/deliver.js";
import { PRESETS } from "../src/media/presets.js";
import { runCli, stepsIn } from "./build-helpers.js";
import { must, probed, signal } from "./media-helpers.js";

test("deliver: [shorts] in a series: episode/01/deliver/shorts writes 1080x1920 at 30 fps, -14 LUFS within 0.5 LU, under -1 dBTP", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dramake-preset-"));
  await writeFile(
    join(dir, "drama.yaml"),
    [
      "dramake: 1",
      "title: Tiny Series",
      "format: { size: 64x112, fps: 12 }",
      "cast: { ann: { name: Ann, look: a woman } }",
      "deliver: [shorts]",
      "episodes:",
      '  - id: "01"',
      "    title: Hello",
      '    cards: { end: { text: "Next: 再见", seconds: 0.5 } }',
      "    scenes:",
      "      - id: hi",
      "        cast: [ann]",
      "        seconds: 1",
      "        lines:",
      "          - ann: Hi there.",
      "music: { mood: calm }",
      "",
    ].join("\n"),
  );
  const r = await runCli(["build", dir, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const ran = stepsIn(r.stdout, "ran");
  for (const id of ["episode/01/card/end", "episode/01/deliver/shorts", "episode/01/final"]) assert.ok(ran.includes(id), `${id} ran: ${ran}`);
  const file = join(dir, "build/tiny-series/01-hello.shorts.mp4");
  const d = await probed(file);
  const shorts = PRESETS.shorts;
  assert.deepEqual([d.video?.width, d.video?.height, d.video?.fps], [shorts.size.width, shorts.size.height, shorts.fps]);
  const final = await probed(join(dir, "build/tiny-series/01-hello.mp4"));
  assert.ok(Math.abs(d.duration - final.duration) < 0.1, `delivered ${d.duration} s of a ${final.duration} s episode`);
  const loud = must(await measureLoudness(file, signal));
  assert.ok(Math.abs(loud.integrated - shorts.loudness) <= 0.5, `integrated ${loud.integrated} LUFS, wanted ${shorts.loudness}`);
  assert.ok(loud.truePeak <= shorts.truePeak, `true peak ${loud.truePeak} dBTP over ${shorts.truePeak}`);
});

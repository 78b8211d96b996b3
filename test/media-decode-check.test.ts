import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkDecodes, encodeWav, silence } from "../src/media/index.js";

test("checkDecodes: real audio passes; a text file named .wav or .png fails though it may probe", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dramake-decode-"));
  const run = { signal: AbortSignal.timeout(30_000) };
  const wav = join(dir, "real.wav");
  await writeFile(wav, encodeWav(silence(1, 48000, 1)));
  assert.ok((await checkDecodes(wav, "audio", run)).ok);
  assert.equal((await checkDecodes(wav, "picture", run)).ok, false, "audio has no picture");
  for (const name of ["fake.wav", "fake.png"]) {
    const fake = join(dir, name);
    await writeFile(fake, "not media at all\n");
    const r = await checkDecodes(fake, name.endsWith(".png") ? "picture" : "audio", run);
    assert.equal(r.ok, false, name);
  }
});

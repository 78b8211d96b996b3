/**
 * Issue 26, "keys stay stable": lockfiles written on the commit before the
 * change (test/fixtures/locks/base-d6eafa7, see its README) are still valid.
 * For every step the key the current code computes, from the lockfile's own
 * output digests and the project's files, is the key the lockfile holds: the
 * action cache of that build answers every step (0 steps run, 0 provider
 * requests). The one planned exception: keyframes whose cast has a
 * `reference:` picture (their look joins the key; their output was stale).
 * And two on main since: offline images render version 3 (keyframe cards got
 * a new layout on purpose) and offline speech render version 3 (the silent
 * stand-in's timing, issue 33 item 19), so the offline examples' portraits,
 * keyframes and voices, and no other step, get new keys (what is downstream of them re-runs only
 * because their bytes change; with the locked bytes its key is the locked one).
 * And one local exception (keys-order.test.ts): each episode's soundtrack and
 * final hold the scenes' order in their params now (versions 2 and 5), so they
 * re-run once, locally and for free. And issue 32: every subtitles step is
 * version 2 (cues split by reading speed, placed in the safe area), so it
 * re-keys too, locally and for free. No paid step is among the changed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readLockfile } from "../src/engine/lockfile.js";
import { keysFromLock, projectSteps } from "./keys-helpers.js";

const REPO = fileURLToPath(new URL("../", import.meta.url));
const LOCKS = join(REPO, "test/fixtures/locks/base-d6eafa7");
/** The fake server's URL when cloud.lock was written: base URLs are in the keys. */
const CLOUD_ENV = { OPENAI_BASE_URL: "http://127.0.0.1:41273/v1", OPENAI_API_KEY: "sk-test-SECRET-123" };

async function copy(from: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "dramake-upgrade-"));
  await cp(join(REPO, from), dir, { recursive: true });
  return dir;
}

/** The local steps whose key holds the scenes' order since (soundtrack 2, final 5). */
const ORDERED = new Set(["soundtrack", "final"]);

/**
 * Steps whose key differs from the lockfile's (every locked step must still exist) but for the
 * soundtracks and finals, which must all have changed; and the offline image steps.
 */
async function keyChanges(dir: string, lockName: string, env: Readonly<Record<string, string>> = {}): Promise<{ changed: string[]; offlineImages: string[] }> {
  const lock = await readLockfile(join(LOCKS, lockName));
  const steps = await projectSteps(dir, env);
  assert.deepEqual(steps.map((s) => s.id).sort(), [...lock.keys()].sort(), "the same steps as before");
  const keys = await keysFromLock(dir, steps, lock);
  assert.equal(keys.size, lock.size, "every step keyed");
  const all = [...keys].filter(([id, key]) => lock.get(id)!.key !== key).map(([id]) => id).sort();
  const ordered = steps.filter((s) => ORDERED.has(s.op ?? "")).map((s) => s.id).sort();
  assert.ok(ordered.length >= 2);
  assert.deepEqual(all.filter((id) => ordered.includes(id)), ordered, "every soundtrack and final re-keys (the scenes' order)");
  const captions = steps.filter((s) => s.op === "subtitles").map((s) => s.id).sort();
  assert.deepEqual(all.filter((id) => captions.includes(id)), captions, "every subtitles step re-keys (version 2, issue 32)");
  const changed = all.filter((id) => !ordered.includes(id) && !captions.includes(id));
  const offlineImages = steps.filter((s) => (s.op === "portrait" || s.op === "keyframe" || s.op === "voice") && JSON.stringify(s.params).includes('"offline')).map((s) => s.id).sort();
  return { changed, offlineImages };
}

async function changedKeys(dir: string, lockName: string, env: Readonly<Record<string, string>> = {}): Promise<string[]> {
  return (await keyChanges(dir, lockName, env)).changed;
}

for (const example of ["new-year-surprise", "night-market", "tea-shop"]) {
  test(`examples/${example}: its lockfile from before issue 26 is still valid, key for key but for the offline images and voices (render versions 3)`, async () => {
    const dir = await copy(`examples/${example}`);
    // The example as it was built (night-market's seconds were edited since, on purpose: issue 33).
    const asBuilt = join(LOCKS, example);
    if (existsSync(asBuilt)) await cp(asBuilt, dir, { recursive: true });
    const { changed, offlineImages } = await keyChanges(dir, `${example}.lock`);
    assert.ok(offlineImages.length > 0 && offlineImages.some((id) => id.endsWith("/keyframe")), "the example has offline portraits and keyframes");
    assert.deepEqual(changed, offlineImages);
  });
}

test("the cloud project's lockfile from before issue 26 is still valid: no provider request is bought again", async () => {
  assert.deepEqual(await changedKeys(await copy("test/fixtures/projects/cloud"), "cloud.lock", CLOUD_ENV), []);
});

test("with a reference picture, exactly the keyframes showing that person get new keys (their look was not in the key)", async () => {
  const dir = await copy("test/fixtures/projects/cloud");
  await mkdir(join(dir, "refs"));
  await cp(join(REPO, "test/fixtures/projects/with-files/refs/grandpa.png"), join(dir, "refs/ann.png"));
  const yaml = await readFile(join(dir, "drama.yaml"), "utf8");
  await writeFile(join(dir, "drama.yaml"), yaml.replace("    look: young woman, red coat\n", "    look: young woman, red coat\n    reference: refs/ann.png\n"));
  // Only the keyframes read ann's look; clips and cuts below them keep theirs while the picture is the same.
  assert.deepEqual(await changedKeys(dir, "cloud-ref.lock", CLOUD_ENV), ["scene/bye/keyframe", "scene/hello/keyframe"]);
});

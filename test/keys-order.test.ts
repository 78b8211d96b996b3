/**
 * A key covers the order its step reads its inputs in (issue 26: every key
 * covers what its step reads). A key's inputs are a set of step ids, so the
 * soundtrack (dialogues mixed in scene order) and the final (cuts joined in
 * scene order) must hold the order in their params: swapping two scenes of the
 * same length left both keys as they were, and the build restored the old film.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { stepKey } from "../src/engine/key.js";
import type { StepSpec } from "../src/engine/step.js";
import { loadProject } from "../src/project/load.js";
import { resolveBackends } from "../src/graph/backends.js";
import { dramaSteps } from "../src/graph/drama.js";

const TEA_SHOP = fileURLToPath(new URL("../examples/tea-shop/", import.meta.url));

/** Each step's key with every input output given a digest of its own (the same in both graphs). */
async function keys(steps: readonly StepSpec[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const s of steps) {
    const inputs = Object.fromEntries(s.inputs.map((id) => [id, { out: `digest of ${id}` }]));
    out.set(s.id, await stepKey(s, { inputs, files: {} }));
  }
  return out;
}

test("swapping two scenes of the same length gives the soundtrack and the final new keys, and no scene's own steps", async () => {
  const graphs = [];
  for (const swap of [false, true]) {
    const project = await loadProject(TEA_SHOP, { env: {} });
    assert.ok(project.ok);
    const scenes = project.value.episodes[0]!.scenes as unknown[];
    const [first, last] = [scenes[0] as { seconds: number }, scenes.at(-1) as { seconds: number }];
    // The example's first and last scenes are both 8 s: the soundtrack's seconds read the same either way.
    assert.equal(first.seconds, last.seconds);
    if (swap) [scenes[0], scenes[scenes.length - 1]] = [scenes.at(-1), scenes[0]];
    const backends = await resolveBackends(project.value, {});
    assert.ok(backends.ok);
    graphs.push(await keys(dramaSteps(project.value, backends.value).steps));
  }
  const [before, after] = graphs as [Map<string, string>, Map<string, string>];
  for (const id of ["soundtrack", "final"]) assert.notEqual(after.get(id), before.get(id), `${id} holds the scenes' order`);
  const cuts = [...before.keys()].filter((id) => id.endsWith("/cut") || id.endsWith("/dialogue") || id.endsWith("/subtitles"));
  assert.ok(cuts.length >= 12);
  for (const id of cuts) assert.equal(after.get(id), before.get(id), `${id} does not depend on the order`);
});

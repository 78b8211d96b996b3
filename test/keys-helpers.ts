/**
 * Steps of a project through the library (no CLI, no network), and the key
 * each step has when its inputs are the outputs a lockfile names: what decides
 * whether a build with that lockfile's cache runs anything.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { StepSpec } from "../src/engine/step.js";
import { stepKey } from "../src/engine/key.js";
import { digestFile } from "../src/engine/hash.js";
import type { LockEntry } from "../src/engine/lockfile.js";
import { loadProject } from "../src/project/load.js";
import { resolveBackends } from "../src/graph/backends.js";
import { dramaSteps } from "../src/graph/drama.js";

export async function projectSteps(dir: string, env: Readonly<Record<string, string>> = {}): Promise<StepSpec[]> {
  const project = await loadProject(dir, { env });
  assert.ok(project.ok, project.ok ? "" : project.error.map((d) => d.message).join("\n"));
  const backends = await resolveBackends(project.value, env);
  assert.ok(backends.ok);
  return dramaSteps(project.value, backends.value).steps;
}

/** Each step's key with its inputs' outputs as `lock` names them (a step whose input is not locked is left out). */
export async function keysFromLock(root: string, steps: readonly StepSpec[], lock: ReadonlyMap<string, LockEntry>): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  for (const step of steps) {
    const inputs: Record<string, Record<string, string>> = {};
    let locked = true;
    for (const id of step.inputs) {
      const entry = lock.get(id);
      if (!entry) locked = false;
      else inputs[id] = Object.fromEntries(Object.entries(entry.outputs).map(([name, o]) => [name, o.digest]));
    }
    if (!locked) continue;
    const files: Record<string, string> = {};
    for (const f of step.files) files[f] = (await digestFile(join(root, f))).digest;
    keys.set(step.id, await stepKey(step, { inputs, files }));
  }
  return keys;
}

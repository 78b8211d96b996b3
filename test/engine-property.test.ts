/**
 * Property: on random DAGs of ~200 steps, after random edits of parameters or
 * input files, the steps the engine executes are exactly the downstream cone
 * of the edits, computed by a brute-force oracle; and a repeat executes none.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { build, type EngineGraph } from "../src/engine/index.js";
import { canonicalJson } from "../src/engine/canonical.js";
// @ts-expect-error plain JS fixture shared with child processes
import { syntheticGraph } from "./fixtures/graphs/synthetic.mjs";

const FILES = 12;

interface Case {
  readonly deps: number[][];
  readonly files: number[][];
  readonly edits: ({ kind: "param"; step: number } | { kind: "file"; file: number })[];
}

const caseArb = fc.integer({ min: 150, max: 210 }).chain((n) =>
  fc.record({
    deps: fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: n, maxLength: n }),
    files: fc.array(fc.array(fc.nat({ max: FILES - 1 }), { maxLength: 2 }), { minLength: n, maxLength: n }),
    edits: fc.array(
      fc.oneof(fc.record({ kind: fc.constant("param" as const), step: fc.nat() }), fc.record({ kind: fc.constant("file" as const), file: fc.nat({ max: FILES - 1 }) })),
      { minLength: 1, maxLength: 4 },
    ),
  }),
);

function describe(c: Case, version: Map<number, number>) {
  return {
    steps: c.deps.map((ds, i) => ({
      id: `s/${i}`,
      // Inputs only from earlier steps: acyclic by construction.
      inputs: i === 0 ? [] : [...new Set(ds.map((d) => `s/${d % i}`))],
      files: [...new Set(c.files[i]!.map((f) => `f${f}.txt`))],
      params: { i, v: version.get(i) ?? 0 },
      pool: `p${i % 3}`,
    })),
    pools: { p0: 2, p1: 3, p2: 1 },
  };
}

/** Brute force: every step that reads an edited thing, then everything downstream of those. */
function oracle(desc: ReturnType<typeof describe>, editedSteps: Set<string>, editedFiles: Set<string>): string[] {
  const dirty = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of desc.steps) {
      if (dirty.has(s.id)) continue;
      if (editedSteps.has(s.id) || s.files.some((f) => editedFiles.has(f)) || s.inputs.some((i) => dirty.has(i))) {
        dirty.add(s.id);
        grew = true;
      }
    }
  }
  return [...dirty].sort();
}

async function executed(graph: EngineGraph): Promise<string[]> {
  const ran: string[] = [];
  const r = await build(graph, { onEvent: (e) => (e.type === "finished" ? ran.push(e.id) : undefined) });
  assert.ok(r.ok && r.value.summary.failed === 0);
  return ran.sort();
}

test("executed steps after random edits == the brute-force downstream cone", async () => {
  let round = 0;
  await fc.assert(
    fc.asyncProperty(caseArb, async (c) => {
      const root = mkdtempSync(join(tmpdir(), "dramake-prop-"));
      const past = new Date(Date.now() - 60_000);
      const writeInput = (f: number, text: string) => {
        writeFileSync(join(root, `f${f}.txt`), text);
        // Outside the racy window, as a file edited a while ago would be.
        utimesSync(join(root, `f${f}.txt`), past, new Date(Date.now() - 10_000 + f));
      };
      for (let f = 0; f < FILES; f++) writeInput(f, `file ${f}`);
      const version = new Map<number, number>();
      const first = describe(c, version);
      assert.equal((await executed(syntheticGraph(root, first))).length, first.steps.length);

      round++;
      const editedSteps = new Set<string>();
      const editedFiles = new Set<string>();
      for (const e of c.edits) {
        if (e.kind === "param") {
          const i = e.step % first.steps.length;
          version.set(i, (version.get(i) ?? 0) + 1);
          editedSteps.add(`s/${i}`);
        } else {
          writeInput(e.file, `file ${e.file} edited in round ${round} ${Math.random()}`);
          editedFiles.add(`f${e.file}.txt`);
        }
      }
      const edited = describe(c, version);
      assert.deepEqual(await executed(syntheticGraph(root, edited)), oracle(edited, editedSteps, editedFiles));
      assert.deepEqual(await executed(syntheticGraph(root, edited)), []);
    }),
    { numRuns: 6 },
  );
});

test("canonical JSON is JSON.stringify of the value with every object's keys sorted and undefined members dropped", () => {
  // The oracle rebuilds each object with sorted keys and lets JSON.stringify print it (keys that look
  // like array indices are left out: a JS object would list those first, whatever their insertion order).
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map((x) => (x === undefined ? null : sorted(x))) : v !== null && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().flatMap((k) => ((v as Record<string, unknown>)[k] === undefined ? [] : [[k, sorted((v as Record<string, unknown>)[k])]]))) : v;
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: "small" }, fc.constant(null), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ unit: "binary" }), tie("array"), tie("object")),
    array: fc.array(fc.oneof(tie("value"), fc.constant(undefined)), { maxLength: 5 }),
    object: fc.dictionary(fc.string({ unit: "binary" }).filter((k) => !/^(0|[1-9]\d*)$/.test(k)), fc.oneof(tie("value"), fc.constant(undefined)), { maxKeys: 5 }),
  })).value;
  fc.assert(
    fc.property(json, (v) => {
      assert.equal(canonicalJson(v as never), JSON.stringify(sorted(v)));
    }),
    { numRuns: 2000 },
  );
  assert.equal(canonicalJson({ b: 1, a: [1, undefined, "x"], c: undefined } as never), '{"a":[1,null,"x"],"b":1}');
});

/**
 * Crash test: a child process building a synthetic graph is SIGKILLed at
 * random moments. Each rerun must complete with exactly the result of a clean
 * build, must not re-execute any step the killed run had finished, and every
 * object in the store must match its digest. Also: two builds started at once
 * on one project both end correct. Children run the compiled engine (dist/),
 * which `npm test` builds first.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import xxhash from "xxhash-wasm";
import { build } from "../src/engine/index.js";
// @ts-expect-error plain JS fixture shared with child processes
import { syntheticGraph } from "./fixtures/graphs/synthetic.mjs";

const engineJs = fileURLToPath(new URL("../dist/engine/index.js", import.meta.url));
const childJs = fileURLToPath(new URL("./fixtures/graphs/child-build.mjs", import.meta.url));

function graphDesc() {
  const steps = [];
  for (let i = 0; i < 36; i++) {
    const inputs = i < 4 ? [] : [`n/${i - 4}`, ...(i % 3 === 0 ? [`n/${Math.floor(i / 2)}`] : [])];
    steps.push({ id: `n/${i}`, params: { i }, inputs: [...new Set(inputs)].filter((x) => x !== `n/${i}`), files: i < 4 ? ["seed.txt"] : [], pool: i % 2 ? "a" : "b" });
  }
  return { steps, pools: { a: 2, b: 3 } };
}

interface Child {
  readonly events: { type: string; id?: string }[];
  readonly exit: Promise<number | null>;
  kill(): void;
  onEvent(fn: () => void): void;
}

function spawnBuild(graphJson: string, root: string): Child {
  const p = spawn(process.execPath, [childJs, engineJs, graphJson, root, "3"], { stdio: ["ignore", "pipe", "inherit"] });
  const events: { type: string; id?: string }[] = [];
  let buffered = "";
  let listener = () => {};
  p.stdout.setEncoding("utf8");
  p.stdout.on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const l of lines) if (l) events.push(JSON.parse(l));
    listener();
  });
  const exit = new Promise<number | null>((r) => p.on("close", (code) => r(code)));
  return { events, exit, kill: () => p.kill("SIGKILL"), onEvent: (fn) => (listener = fn) };
}

async function verifyStore(root: string): Promise<number> {
  const { h64Raw } = await xxhash();
  const objects = join(root, ".dramake/cache/objects");
  let n = 0;
  for (const fan of existsSync(objects) ? readdirSync(objects) : []) {
    for (const name of readdirSync(join(objects, fan))) {
      if (name.startsWith(".tmp-")) continue; // a killed writer's temp file: never an object
      const digest = h64Raw(readFileSync(join(objects, fan, name))).toString(16).padStart(16, "0");
      assert.equal(digest, fan + name, `object ${fan}/${name} does not match its digest`);
      n++;
    }
  }
  return n;
}

/** A project dir and the graph description a child build process reads. */
function childProject(name: string): { root: string; graphJson: string; desc: ReturnType<typeof graphDesc> } {
  const work = mkdtempSync(join(tmpdir(), `dramake-${name}-`));
  const root = join(work, "project");
  const graphJson = join(work, "graph.json");
  const desc = graphDesc();
  writeFileSync(graphJson, JSON.stringify(desc));
  mkdirSync(root);
  return { root, graphJson, desc };
}

async function referenceLock(desc: ReturnType<typeof graphDesc>, seed: string): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), "dramake-ref-"));
  writeFileSync(join(root, "seed.txt"), seed);
  const r = await build(syntheticGraph(root, desc), { onEvent: () => undefined });
  assert.ok(r.ok);
  return readFileSync(join(root, "drama.lock"), "utf8");
}

test("SIGKILL at random moments: reruns complete, never redo a finished step, store intact", { skip: !existsSync(engineJs) && "dist/ not built (npm test builds it)" }, async () => {
  const { root, graphJson, desc } = childProject("crash");
  let killedMidway = 0;
  for (let round = 0; round < 22; round++) {
    const seed = `seed ${round}`;
    writeFileSync(join(root, "seed.txt"), seed);
    const victim = spawnBuild(graphJson, root);
    const killAfter = Math.floor(Math.random() * desc.steps.length);
    await new Promise<void>((resolve) => {
      const check = () => {
        if (victim.events.filter((e) => e.type === "finished").length >= killAfter) {
          setTimeout(() => {
            victim.kill();
            resolve();
          }, Math.random() * 4);
          victim.onEvent(() => {});
        }
      };
      victim.onEvent(check);
      void victim.exit.then(() => resolve());
      check();
    });
    await victim.exit;
    const finishedBefore = new Set(victim.events.filter((e) => e.type === "finished").map((e) => e.id));
    if (!victim.events.some((e) => e.type === "result")) killedMidway++;

    const rerun = spawnBuild(graphJson, root);
    assert.equal(await rerun.exit, 0, `round ${round}: the rerun must complete`);
    const redone = rerun.events.filter((e) => e.type === "started" && finishedBefore.has(e.id));
    assert.deepEqual(redone, [], `round ${round}: finished steps were executed again`);
    assert.ok((await verifyStore(root)) > 0);
    if (round % 5 === 0 || round === 21) {
      assert.equal(readFileSync(join(root, "drama.lock"), "utf8"), await referenceLock(desc, seed), `round ${round}: result differs from a clean build`);
    }
  }
  assert.ok(killedMidway >= 20, `only ${killedMidway} of 22 kills landed mid-build`);
});

test("two builds started at once on one project both end correct, each step run once", { skip: !existsSync(engineJs) && "dist/ not built" }, async () => {
  const { root, graphJson, desc } = childProject("twice");
  writeFileSync(join(root, "seed.txt"), "together");
  const a = spawnBuild(graphJson, root);
  const b = spawnBuild(graphJson, root);
  assert.deepEqual(await Promise.all([a.exit, b.exit]), [0, 0]);
  const ran = [...a.events, ...b.events].filter((e) => e.type === "finished").map((e) => e.id);
  assert.equal(ran.length, desc.steps.length);
  assert.equal(new Set(ran).size, desc.steps.length);
  // Usually they overlap and one waits for the lock, saying so; on a slow machine one may start after the other ended.
  const waited = [...a.events, ...b.events].some((e) => e.type === "notice" && /waiting for another dramake build/.test((e as { message?: string }).message ?? ""));
  const oneWasNoop = [a, b].some((c) => !c.events.some((e) => e.type === "started"));
  assert.ok(waited || oneWasNoop);
  await verifyStore(root);
  assert.equal(readFileSync(join(root, "drama.lock"), "utf8"), await referenceLock(desc, "together"));
});

/**
 * Issue 5, money: a build whose estimate exceeds the budget (`--budget` or
 * the project's `budget:`) sends no request at all and says why, with exit
 * code 1 (the project and the command are fine, so not 2: the build did not
 * happen, like a failed step); `plan` shows the same estimate step by step.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { access, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { OpenAIServer } from "./fixtures/openai-server/server.js";
import { assertNoKeyUnder, build, cloudProjectPerFile, dramake, editProject, events } from "./build-openai-helpers.js";

let server: OpenAIServer;
let dir: string;
cloudProjectPerFile((s, d) => ([server, dir] = [s, d]));

const exists = (path: string) => access(path).then(() => true, () => false);

async function plannedTotal(): Promise<{ total: number; steps: { id: string; estimate: number }[] }> {
  const r = await dramake(server, ["plan", dir, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const all = events(r.stdout);
  const steps = all.filter((e) => e.event === "plan") as { id: string; estimate: number }[];
  const summary = all.find((e) => e.event === "plan-summary") as { cost: { estimated: number } };
  return { total: summary.cost.estimated, steps };
}

test("plan prices every paid step and totals them, without a request", async () => {
  const { total, steps } = await plannedTotal();
  const paid = steps.filter((s) => s.estimate > 0).map((s) => s.id);
  // Portraits, keyframes and clips by list price; lines, polish and voices by their text
  // (three written lines, and the four a beat-only scene of one may write: a ceiling).
  assert.equal(paid.length, 2 + 3 + 3 + 1 + 1 + 3 + 4, `priced: ${paid.join(", ")}`);
  assert.ok(steps.filter((s) => s.id.endsWith("/clip")).every((s) => s.estimate === 0.4), "4 s of sora-2 at $0.10/s");
  assert.ok(total > 1.4 && total < 2, `total ${total}`);
  assert.equal(server.log.length, 0);
});

test("--budget below the estimate spends nothing and says why", async () => {
  const { total } = await plannedTotal();
  const b = await build(server, dir, "--budget", "0.01");
  assert.equal(b.code, 1);
  assert.equal(server.log.length, 0, "not a single request");
  assert.deepEqual([...b.steps.keys()], [], "no step ran");
  assert.match(b.stderr, new RegExp(`estimated cost \\$${total.toFixed(2).replace(".", "\\.")} for 29 step\\(s\\) exceeds the budget of \\$0\\.01; nothing was run`));
  assert.equal(await exists(join(dir, "build")), false, "nothing was built");
  assert.deepEqual(await readdir(join(dir, ".dramake/cache/objects")).catch(() => []), [], "nothing was stored");
});

test("the project's budget: is enforced the same way, and --budget overrides it", async () => {
  await editProject(dir, "budget: 5.00", "budget: 1.00");
  const refused = await build(server, dir);
  assert.equal(refused.code, 1);
  assert.equal(server.log.length, 0);
  assert.match(refused.stderr, /exceeds the budget of \$1\.00; nothing was run/);

  const built = await build(server, dir, "--budget", "2");
  assert.equal(built.code, 0, built.stderr);
  assert.equal(built.summary.output, "build/cloud-test.mp4");
  assert.ok(built.summary.cost.spent <= 2, `spent ${built.summary.cost.spent}`);
  // Now cached, the same build costs nothing and fits any budget.
  const mark = server.log.length;
  const again = await build(server, dir, "--budget", "0");
  assert.equal(again.code, 0, again.stderr);
  assert.equal(server.log.length, mark);
  await assertNoKeyUnder(dir);
});

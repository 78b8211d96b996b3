/**
 * The starter's header tells a new user what to run; those commands must be
 * the installed `dramake`, not `npx dramake`, which outside the clone asks
 * the registry for a package of that name (issue 33, item 18). The same rule
 * as .ci/install-smoke, which runs them from a tarball install.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { starterProject } from "../src/project/starter.js";

test("the starter's header commands are plain `dramake …` commands", () => {
  const text = starterProject({ title: "T", schemaPath: "schema.json" });
  const header = text.split("\n").slice(0, text.split("\n").findIndex((l) => !l.startsWith("#")));
  const commands = header.filter((l) => l.startsWith("#   ")).map((l) => l.slice(4));
  assert.deepEqual(commands, ["dramake build", "dramake validate"]);
});

/**
 * Loaded before every test process (`--import`, see package.json): the runner
 * and each test file's own process get a temp root of their own, under the
 * machine's, and remove it when they exit. Tests make hundreds of mkdtemp()
 * directories (fixture copies, caches, builds, fake servers' files) and most
 * have no way to remove theirs; a few runs of the suite left 2 GB in /tmp.
 * Everything a test spawns inherits TMPDIR too, and a test process that is
 * killed leaves its root to the runner's, which goes when the run ends.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = mkdtempSync(join(tmpdir(), "dramake-test-"));
for (const name of ["TMPDIR", "TMP", "TEMP"]) process.env[name] = root;
if (!process.env.KEEP_MEDIA) process.once("exit", () => rmSync(root, { recursive: true, force: true }));

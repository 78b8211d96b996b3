/**
 * Loaded before every test process (`--import`, see package.json): the runner
 * and each test file's own process get a temp root of their own, under the
 * machine's, and remove it when they exit. Tests make hundreds of mkdtemp()
 * directories (fixture copies, caches, builds, fake servers' files) and most
 * have no way to remove theirs; a few runs of the suite left 2 GB in /tmp.
 * Everything a test spawns inherits TMPDIR too, and a test process that is
 * killed leaves its root to the runner's, which goes when the run ends.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { basename, join } from "node:path";

const root = mkdtempSync(join(tmpdir(), "dramake-test-"));
// tsx keeps its compiled modules in <tmpdir>/tsx-<uid>, named by content: every process under this root (test files, the
// fixtures and CLIs they run through tsx) uses the machine's one cache instead of compiling the same modules cold again.
const tsxCache = join(tmpdir(), `tsx-${process.geteuid?.() ?? userInfo().username}`);
try {
  mkdirSync(tsxCache, { recursive: true });
  symlinkSync(realpathSync(tsxCache), join(root, basename(tsxCache)));
} catch {
  // No cache to share: each process compiles on its own, as before.
}
for (const name of ["TMPDIR", "TMP", "TEMP"]) process.env[name] = root;
// What the run's test processes share (rendered fixture media): under the first root, the runner's, inherited by all.
process.env.DRAMAKE_TEST_SHARED ??= join(root, "shared");
if (!process.env.KEEP_MEDIA) process.once("exit", () => rmSync(root, { recursive: true, force: true }));

/**
 * DRAMAKE_TEST_TIMES=<file>: each test process appends one JSON line at exit
 * (its file, wall ms from process start, its own CPU ms and its waited-for
 * children's: ffmpeg, the CLI, browsers), to tell the suite's CPU-bound files
 * from those that mostly wait (bench/suite reads it).
 */
const times = process.env.DRAMAKE_TEST_TIMES;
const file = process.argv[1];
if (times && file?.endsWith(".test.ts")) {
  process.once("exit", () => {
    const own = process.cpuUsage();
    // /proc/self/stat fields 16 and 17: CPU of children this process waited for, in clock ticks (100 a second on Linux).
    let children = 0;
    try {
      const stat = readFileSync("/proc/self/stat", "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      children = (Number(f[13]) + Number(f[14])) * 10;
    } catch {
      // Not Linux: children's CPU unknown.
    }
    const line = { file: basename(file), wallMs: Math.round(performance.now()), cpuMs: Math.round((own.user + own.system) / 1000), childCpuMs: children };
    appendFileSync(times, JSON.stringify(line) + "\n");
  });
}

// Preloaded by bench/cli/run.mjs: at exit, append this process's CPU time (user + system, ms) to $BENCH_CPU_FILE.
// CPU time, unlike wall time, barely moves when other processes load the machine.
import { appendFileSync } from "node:fs";
process.on("exit", () => {
  const u = process.cpuUsage();
  appendFileSync(process.env.BENCH_CPU_FILE, `${(u.user + u.system) / 1000}\n`);
});

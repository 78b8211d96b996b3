/**
 * In-process benchmarks of dramake's own cost (bench/series, bench/takes):
 * a project's real graph with every step's work replaced by a stub, so a
 * cache of thousands of steps fills in seconds, and the median of a few
 * timed runs.
 */
import { median } from "./timing.mjs";

/**
 * The graph with every step's work replaced by a stub that stores a few
 * bytes per output it must materialize (other bytes for a take above 1);
 * `take` may choose another take for a step.
 */
export function stubbed(graph, take = (s) => s.take) {
  return {
    ...graph,
    steps: graph.steps.map((s) => ({
      ...s,
      take: take(s),
      async run(ctx) {
        const bytes = ctx.take > 1 ? `${s.id} ${ctx.take}` : s.id;
        for (const name of Object.keys(s.materialize ?? {})) await ctx.output(name, { bytes });
        if (!s.materialize) await ctx.output("out", { bytes: s.id });
      },
    })),
  };
}

/** The project's graph with every modality offline, or an exception saying why not. */
export async function loadOffline(loadBuildGraph, dir) {
  const g = await loadBuildGraph(dir, { offline: true });
  if (!g.ok) throw new Error(g.error.message);
  return g.value;
}

/** The median wall time of `runs` runs of `fn`, in ms. */
export async function medianMs(runs, fn) {
  const xs = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

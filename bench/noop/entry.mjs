/**
 * Bench-only stand-in for `dramake build` on a generated graph: the same
 * no-op fast path the CLI takes (dist/engine/noop.js, stat calls only), the
 * same terminal reporter, and on a miss the same engine build. Only the graph
 * source differs: a generated JSON description instead of drama.yaml.
 * usage: node entry.mjs <project root> <graph.json>
 */
const started = performance.now();
const [root, graphJson] = process.argv.slice(2);
const dist = new URL("../../dist/", import.meta.url);
const identity = { target: root, variant: "default", stamp: "bench" };
const { terminalReporter } = await import(new URL("report/terminal.js", dist).href);
const reporter = terminalReporter(process.stdout);

const { checkNoop } = await import(new URL("engine/noop-check.js", dist).href);
const hit = await checkNoop(root, identity);
if (hit) {
  reporter.event({
    type: "summary",
    summary: { total: hit.total, ran: 0, cached: hit.total, failed: 0, skipped: 0, estimated: 0, spent: 0, saved: hit.saved, output: hit.output, ms: Math.round(performance.now() - started), aborted: false },
  });
} else {
  const { loadGraphFile } = await import(new URL("../../test/fixtures/graphs/synthetic.mjs", import.meta.url).href);
  const { build } = await import(new URL("engine/index.js", dist).href);
  const r = await build(loadGraphFile(graphJson, root), { onEvent: (e) => reporter.event(e), noop: identity });
  if (!r.ok) {
    process.stderr.write(`${JSON.stringify(r.error)}\n`);
    process.exitCode = 1;
  }
}
reporter.close();

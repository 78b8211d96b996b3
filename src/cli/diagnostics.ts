/**
 * Problems in a project file, printed the one way every command prints them:
 * file:line:col with a code frame on stderr, and with --json also one
 * `{"event":"error"|"warning",...}` line each on stdout, so a script learns
 * what is wrong without parsing stderr.
 */
import type { Diagnostic } from "../project/diagnostic.js";
import { shownPath } from "./paths.js";

export async function printDiagnostics(diagnostics: readonly Diagnostic[], { json }: { readonly json: boolean }): Promise<void> {
  if (diagnostics.length === 0) return;
  const [{ formatDiagnostics, readSources }, { colorFor }] = await Promise.all([import("../project/index.js"), import("../report/terminal.js")]);
  process.stderr.write(formatDiagnostics(diagnostics, await readSources(diagnostics), { color: colorFor(process.stderr) }));
  if (!json) return;
  const { diagnosticJson } = await import("../report/json.js");
  for (const d of diagnostics) process.stdout.write(`${JSON.stringify(diagnosticJson(d, (f) => shownPath(f)))}\n`);
}

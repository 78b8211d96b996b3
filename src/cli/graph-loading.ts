/**
 * What the build-family commands share: load the project's graph (lazily, the
 * graph code pulls in YAML, zod and providers) and identify this dramake build
 * for the no-op snapshot.
 */
import { statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BuildGraph } from "../graph/load.js";

/** `spends: false` for commands that only look (plan, status, explain, graph): they run without API keys. */
export async function loadGraph(target: string, offline: boolean, color: boolean, spends = true): Promise<BuildGraph | undefined> {
  const { loadBuildGraph } = await import("../graph/load.js");
  const loaded = await loadBuildGraph(target, { offline, color, keysOptional: !spends });
  if (loaded.ok) {
    // Warnings do not stop anything, but a key written into drama.yaml or a key still to be set is worth a line.
    const warnings = loaded.value.project?.warnings ?? [];
    if (warnings.length > 0) {
      const { formatDiagnostics, readSources } = await import("../project/index.js");
      process.stderr.write(formatDiagnostics(warnings, await readSources(warnings), { color }));
    }
    return loaded.value;
  }
  process.stderr.write(`${loaded.error.message.trimEnd()}\n`);
  return undefined;
}

/**
 * The graph code and the engine as built: rebuilding dramake rewrites these
 * files, so a snapshot taken by an older build of dramake is not trusted.
 */
export function codeStamp(): string {
  const parts: string[] = [];
  for (const rel of ["../graph/load", "../engine/build"]) {
    for (const ext of [".js", ".ts"]) {
      const s = statSync(fileURLToPath(new URL(rel + ext, import.meta.url)), { bigint: true, throwIfNoEntry: false });
      if (s) {
        parts.push(`${s.mtimeNs}:${s.size}`);
        break;
      }
    }
  }
  return parts.join("/");
}

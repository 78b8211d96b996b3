/**
 * Every command, by name, loaded lazily: one line each (see main.ts on adding one).
 * The order is the order of `dramake --help`.
 */
import type { Command } from "./command.js";

export type Registry = Readonly<Record<string, () => Promise<{ default: Command }>>>;

export const commands: Registry = {
  build: () => import("./commands/build.js"),
  plan: () => import("./commands/plan.js"),
  status: () => import("./commands/status.js"),
  explain: () => import("./commands/explain.js"),
  watch: () => import("./commands/watch.js"),
  preview: () => import("./commands/preview.js"),
  graph: () => import("./commands/graph.js"),
  validate: () => import("./commands/validate.js"),
  init: () => import("./commands/init.js"),
  write: () => import("./commands/write.js"),
  shots: () => import("./commands/shots.js"),
  export: () => import("./commands/export.js"),
  import: () => import("./commands/import.js"),
  clean: () => import("./commands/clean.js"),
  gc: () => import("./commands/gc.js"),
  retake: () => import("./commands/retake.js"),
  trust: () => import("./commands/trust.js"),
  completion: () => import("./commands/completion.js"),
  providers: () => import("./commands/providers.js"),
  worker: () => import("./commands/worker.js"),
};

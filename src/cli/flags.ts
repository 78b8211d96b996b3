/**
 * Flags shared by several commands, defined once so a shared flag reads and
 * is described alike everywhere. A command spreads the groups it takes into
 * its `flags`; adding a flag to a group adds it to every command using it.
 */
import type { Arg, Flag, Flags } from "./command.js";
import { REMOTE_CACHE_MODES } from "../engine/cache/endpoint.js";

/** The positional most commands take. */
export const PROJECT_ARG: Arg = {
  name: "project",
  description: "the project directory or its drama.yaml (default: the nearest drama.yaml here or above)",
};

/** Taken by every command, before or after its name (`dramake -C dir build`, `dramake build -q`). */
export const GLOBAL_FLAGS = {
  directory: { short: "C", value: "DIR", description: "run as if started in DIR (like make -C and git -C)" },
  quiet: { short: "q", description: "print only errors and what was asked for: no progress, no summary" },
  verbose: { short: "v", description: "print more: every step, cached ones too" },
  help: { short: "h", description: "show this command's help" },
} as const satisfies Flags;

export const JSON_FLAG = {
  json: { description: "print one JSON object per line on stdout, nothing else there" },
} as const satisfies Flags;

export const OFFLINE_FLAG = {
  offline: { description: "use the built-in offline provider for every modality (no network, no key)" },
} as const satisfies Flags;

export const FORCE_FLAG = {
  force: { value: "STEP", multiple: true, description: "run STEP (an id or a glob like scene/*/clip) even if cached; repeatable" },
} as const satisfies Flags;

/** build, plan, status, graph: one part of the project, make-style. */
export const TARGET_FLAG = {
  target: {
    short: "t",
    value: "STEP",
    multiple: true,
    description: "only STEP (a step id or a prefix such as episode/02) and what it needs; other steps are neither run nor forgotten; repeatable",
  },
} as const satisfies Flags;

export const NO_WAIT_FLAG = {
  "no-wait": { description: "fail at once instead of waiting when another dramake command holds the project" },
} as const satisfies Flags;

/** Every command that reads the project's step graph (build, plan, status, explain, graph, watch). */
export const GRAPH_FLAGS = {
  ...OFFLINE_FLAG,
} as const satisfies Flags;

/** Every command that consults the caches to decide what runs (build, watch, plan, explain). */
export const REMOTE_CACHE_FLAGS = {
  "remote-cache": { value: "URL", description: "a shared cache over Bazel's HTTP protocol, read and filled (default: $DRAMAKE_REMOTE_CACHE; token: $DRAMAKE_REMOTE_CACHE_TOKEN)" },
  "remote-cache-mode": { value: "MODE", choices: REMOTE_CACHE_MODES, description: "read (never upload), write (never look up) or readwrite (the default)" },
} as const satisfies Flags;

/** Every command that runs a build (build, watch). */
export const BUILD_FLAGS = {
  ...GRAPH_FLAGS,
  ...REMOTE_CACHE_FLAGS,
  ...JSON_FLAG,
  "keep-going": { short: "k", description: "build every branch a failure does not block" },
  budget: { value: "USD", description: "refuse a build whose estimate exceeds USD (overrides budget: in drama.yaml)" },
  jobs: { short: "j", value: "N", description: "run at most N local steps at once (default: the number of cores)" },
} as const satisfies Flags;

export type { Flag };

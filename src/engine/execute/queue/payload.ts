/**
 * What may go over the wire. A job is stored in Redis and read by every
 * worker, so before one is added its payload is checked: no secret value the
 * coordinator knows (API keys, tokens: a `${VAR}` reference is fine, its value
 * is not) and no absolute path of the coordinator's machine (its working
 * directory, home, temp dir, project root). On the worker side the data is
 * checked for shape before anything runs it.
 */
import { homedir, tmpdir } from "node:os";
import { err, ok, type Result } from "../../../result.js";
import type { Json } from "../../step.js";
import type { QueueFailure, StepJob } from "./contract.js";

export interface Forbidden {
  /** Secret values (resolved keys and tokens) that must never leave this machine. */
  readonly secrets?: readonly string[];
  /** Directories of this machine; a string naming one, or anything under one, is refused. */
  readonly paths?: readonly string[];
}

/** The coordinator's own places: where it runs, its home, its temp dir. */
export function machinePaths(): string[] {
  return [process.cwd(), homedir(), tmpdir()].filter((p) => p.length > 1);
}

type Unsafe = Extract<QueueFailure, { kind: "unsafe-job" }>;

export function checkPayload(job: StepJob, forbidden: Forbidden): Result<void, { message: string; failure: Unsafe }> {
  const secrets = (forbidden.secrets ?? []).filter((s) => s.length >= 4);
  const paths = [...new Set([...(forbidden.paths ?? []), ...machinePaths()])].map((p) => p.replace(/\/+$/, ""));
  const found = walk(job as unknown as Json, "job", (text) => {
    if (secrets.some((s) => text.includes(s))) return "secret";
    if (paths.some((p) => text === p || text.includes(`${p}/`))) return "path";
    return undefined;
  });
  if (found === undefined) return ok(undefined);
  const what = found.what === "secret" ? "a secret value (send the ${VAR} reference; each worker expands it from its own environment)" : "an absolute path of this machine (send project-relative paths and digests)";
  return err({
    message: `step ${job.id}: its job would carry ${what} in ${found.field}; it was not queued`,
    failure: { kind: "unsafe-job", field: found.field, what: found.what },
  });
}

function walk(value: Json | undefined, field: string, bad: (text: string) => "secret" | "path" | undefined): { field: string; what: "secret" | "path" } | undefined {
  if (typeof value === "string") {
    const what = bad(value);
    return what === undefined ? undefined : { field, what };
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = walk(value[i] as Json, `${field}[${i}]`, bad);
      if (hit) return hit;
    }
    return undefined;
  }
  if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      // A member name can leak as well as a value (a files map is keyed by path).
      const name = bad(k);
      if (name !== undefined) return { field: `${field}.${k}`, what: name };
      const hit = walk(v as Json | undefined, `${field}.${k}`, bad);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** The worker's check of what it took from Redis: a StepJob, or why not. */
export function parseJob(data: unknown): Result<StepJob, string> {
  const d = data as Partial<Record<keyof StepJob, unknown>> | null;
  if (d === null || typeof d !== "object") return err("the job's data is not an object");
  for (const f of ["key", "id", "op"] as const) if (typeof d[f] !== "string" || d[f] === "") return err(`the job's ${f} is not a string`);
  const inputs = d.inputs as Record<string, unknown> | null;
  if (inputs === null || typeof inputs !== "object" || Array.isArray(inputs) || !Object.values(inputs).every(isOutputMap)) return err("the job's inputs are not a map of step to outputs (digest and size)");
  if (!isDigestMap(d.files)) return err("the job's files are not a map of path to digest");
  if (typeof d.take !== "number" || !Number.isInteger(d.take) || d.take < 1) return err("the job's take is not a positive integer");
  if (!("params" in d)) return err("the job has no params");
  return ok(d as StepJob);
}

function isOutputMap(v: unknown): boolean {
  return (
    v !== null &&
    typeof v === "object" &&
    !Array.isArray(v) &&
    Object.values(v).every((o) => o !== null && typeof o === "object" && typeof (o as { digest?: unknown }).digest === "string" && typeof (o as { size?: unknown }).size === "number")
  );
}

function isDigestMap(v: unknown): boolean {
  return v !== null && typeof v === "object" && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string");
}

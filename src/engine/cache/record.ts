/**
 * The action record as the remote keeps it, at `ac/<sha256 of the step key>`:
 * dramake's own JSON (not Bazel's protobuf ActionResult), the local record with
 * every output named twice, by sha256 (its `cas/` name, which any Bazel cache
 * server understands) and by the local digest (its name in the object store).
 * What comes back from a server is data from elsewhere: parsed, not trusted.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { ActionRecord } from "../actions.js";
import { xxhash } from "../hash.js";
import { stepKeyWith } from "../key.js";
import type { Json } from "../step.js";

const hex = (n: number) => z.string().regex(new RegExp(`^[0-9a-f]{${n}}$`));

const output = z.object({ digest: hex(16), size: z.number().int().nonnegative(), sha256: hex(64) });

const remoteRecord = z.object({
  v: z.literal(1),
  key: z.string().min(1),
  id: z.string(),
  kind: z.string(),
  version: z.number(),
  params: z.json(),
  inputs: z.record(z.string(), z.record(z.string(), z.string())),
  files: z.record(z.string(), z.string()),
  outputs: z.record(z.string(), output),
  // Part of the key above take 1 (key.ts): kept, so the key can be recomputed from the record.
  take: z.number().int().positive().optional(),
  cost: z.number().nonnegative(),
  ms: z.number().nonnegative(),
  journal: z.record(z.string(), z.string()),
  created: z.string(),
});

export type RemoteRecord = z.infer<typeof remoteRecord>;
export type RemoteOutput = z.infer<typeof output>;

export const sha256Hex = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");

/** `ac/…`: Bazel wants 64 hex digits there; the step key is 16. */
export const actionPathFor = (key: string): string => `ac/${sha256Hex(key)}`;
export const casPathFor = (sha256: string): string => `cas/${sha256}`;

export function toRemote(record: ActionRecord, sha256: Readonly<Record<string, string>>): RemoteRecord {
  const outputs: Record<string, RemoteOutput> = {};
  for (const [name, o] of Object.entries(record.outputs)) outputs[name] = { digest: o.digest, size: o.size, sha256: sha256[name]! };
  return { ...record, params: record.params as RemoteRecord["params"], outputs };
}

/** The record a server sent for `key`, or undefined when it is not one of ours (or not for this key). */
export function parseRemote(text: string, key: string): RemoteRecord | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = remoteRecord.safeParse(json);
  return parsed.success && parsed.data.key === key ? parsed.data : undefined;
}

/**
 * The key the record's own contents hash to (kind, version, params, take,
 * input digests, file digests): a record is for `key` only when this is
 * `key`. Its `key` field alone proves nothing: anyone who can write to the
 * cache can copy one step's record to another step's address and edit it.
 */
export async function recomputedKey(r: RemoteRecord): Promise<string> {
  return stepKeyWith(await xxhash(), { kind: r.kind, version: r.version, params: r.params as Json, ...(r.take !== undefined ? { take: r.take } : {}) }, { inputs: r.inputs, files: r.files });
}

/** The local action record a verified remote hit leaves behind (sha256 names are the remote's business). */
export function toLocal(r: RemoteRecord): ActionRecord {
  const outputs: Record<string, { digest: string; size: number }> = {};
  for (const [name, o] of Object.entries(r.outputs)) outputs[name] = { digest: o.digest, size: o.size };
  return { ...r, params: r.params as Json, outputs };
}

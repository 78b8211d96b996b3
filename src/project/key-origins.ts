/**
 * The load-time check of item 5 (issue 33): an API key that came from the
 * environment or `.env` may be sent only to a trusted origin
 * (trusted-origins.ts). It runs where interpolation knows which values came
 * from the environment, before anything could make a request, and only for
 * the providers and modalities `use:` picks (a provider nobody uses sends
 * nothing).
 */
import type { Diagnostic } from "./diagnostic.js";
import { OPENAI_BASE_URL } from "./project.js";
import { MODALITIES, OFFLINE, type VideoPresetType } from "./schema.js";
import { PRESET_BASE_URLS } from "./vendor-origins.js";
import type { PathSegment, SourceFile } from "./source.js";
import { diagnosticAt } from "./source.js";
import { isTrustedOrigin, originOf, TRUSTED_ORIGINS_VARIABLE, userTrustedOrigins } from "./trusted-origins.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

export interface KeyOriginInput {
  readonly src: SourceFile;
  /** The data after interpolation. */
  readonly data: unknown;
  /** The data as written (for naming the variable a key came from). */
  readonly raw: unknown;
  readonly fromEnv: ReadonlySet<string>;
  /** `build --offline`: nothing is sent anywhere. */
  readonly offline: boolean;
  /** plan, status, explain: they send nothing, so an untrusted origin is a warning there. */
  readonly warnOnly: boolean;
  /** The process environment (trust is never read from `.env`). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

function at(data: unknown, path: readonly PathSegment[]): unknown {
  let current = data;
  for (const segment of path) current = isObj(current) ? current[segment as string] : undefined;
  return current;
}

export async function checkKeyOrigins(input: KeyOriginInput): Promise<Diagnostic[]> {
  const { data, fromEnv } = input;
  if (input.offline || !isObj(data) || !isObj(data.use) || !isObj(data.providers)) return [];
  const use = data.use;
  // One finding per place a URL is written (or per provider's default URL).
  const findings = new Map<string, { urlPath: PathSegment[]; keyPath: PathSegment[]; origin: string }>();
  const note = (keyPath: PathSegment[], urlPath: PathSegment[], url: unknown): void => {
    const key = at(data, keyPath);
    // A key written in the file is its author's; an unset one has nothing to leak.
    if (typeof key !== "string" || key === "" || !fromEnv.has(JSON.stringify(keyPath))) return;
    const origin = typeof url === "string" ? originOf(url.replace(/\{[a-z]+\}/g, "x")) : undefined;
    if (origin === undefined) return; // not a URL: the schema reports it
    const id = JSON.stringify([urlPath, origin]);
    if (!findings.has(id)) findings.set(id, { urlPath, keyPath, origin });
  };
  for (const m of MODALITIES) {
    const name = use[m];
    if (typeof name !== "string" || name === OFFLINE) continue;
    const provider = data.providers[name];
    if (!isObj(provider) || provider.type === OFFLINE) continue;
    const endpoint = at(provider, ["endpoints", m]);
    const base: PathSegment[] = ["providers", name];
    const urlPath = isObj(endpoint) && endpoint.base_url !== undefined ? [...base, "endpoints", m, "base_url"] : [...base, "base_url"];
    const url = at(data, urlPath);
    const fallback = typeof provider.type === "string" && provider.type in PRESET_BASE_URLS ? PRESET_BASE_URLS[provider.type as VideoPresetType] : OPENAI_BASE_URL;
    const keyPaths: PathSegment[][] = [
      isObj(endpoint) && endpoint.api_key !== undefined ? [...base, "endpoints", m, "api_key"] : [...base, "api_key"],
      // A preset's other credentials (Kling's access and secret keys) go where its API key would.
      [...base, "access_key"],
      [...base, "secret_key"],
    ];
    for (const keyPath of keyPaths) note(keyPath, urlPath, typeof url === "string" ? url : fallback);
    // An upload store's token goes to its `put` URL's origin.
    note([...base, "uploads", "token"], [...base, "uploads", "put"], at(data, [...base, "uploads", "put"]));
  }
  if (findings.size === 0) return [];
  const cheap = new Set<string>();
  const untrusted = [...findings.values()].filter((f) => !isTrustedOrigin(f.origin, cheap));
  if (untrusted.length === 0) return [];
  const user = await userTrustedOrigins(input.env);
  const out: Diagnostic[] = [];
  for (const f of untrusted) {
    if (isTrustedOrigin(f.origin, user)) continue;
    const written = at(input.raw, f.keyPath);
    const variable = typeof written === "string" ? /\$\{([A-Za-z_][A-Za-z0-9_]*)/.exec(written)?.[1] : undefined;
    const source = variable ? `the API key from ${variable}` : "the API key from the environment";
    const urlWritten = at(data, f.urlPath) !== undefined;
    out.push(
      diagnosticAt(input.src, urlWritten ? f.urlPath : f.keyPath, "value", {
        code: "untrusted-origin",
        severity: input.warnOnly ? "warning" : "error",
        message: `${source} would be sent to ${f.origin}, which you have not trusted; nothing was sent. A key from the environment or .env goes only to the vendors' own origins, localhost and origins you trust${input.warnOnly ? " (a build will stop here)" : ""}`,
        allowed: `if this project is yours or you trust ${f.origin} with the key, run: dramake trust ${f.origin} (or set ${TRUSTED_ORIGINS_VARIABLE}=${f.origin}); or write a base_url you trust`,
      }),
    );
  }
  return out;
}

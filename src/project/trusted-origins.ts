/**
 * Where an API key read from the environment or `.env` may be sent (issue 33,
 * item 5). A cloned project chooses its `base_url`; the key is the user's. So
 * such a key goes only to an origin the user trusts: a vendor preset's own
 * origin (the list below: data, extended as presets are added), the local
 * machine, or an origin the user approved with `dramake trust <origin>`
 * (kept in the user's config directory, never in the project) or listed in
 * DRAMAKE_TRUSTED_ORIGINS. A key written literally in the project file is the
 * author's own and is not checked.
 *
 * Trust is read from the real process environment only, never from `.env`:
 * a `.env` can come with the clone.
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { writeFileAtomic } from "../atomic.js";
import { PRESET_BASE_URLS } from "./vendor-origins.js";

/** The vendors' own API origins: OpenAI's and every video preset's (vendor-origins.ts). */
export const BUILTIN_TRUSTED_ORIGINS: readonly string[] = ["https://api.openai.com", ...Object.values(PRESET_BASE_URLS).map((u) => new URL(u).origin)];

export const TRUSTED_ORIGINS_VARIABLE = "DRAMAKE_TRUSTED_ORIGINS";

type Env = Readonly<Record<string, string | undefined>>;

/** `https://Relay.example:443/v1` -> `https://relay.example`; undefined when not an http(s) URL. */
export function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return undefined;
    return parsed.origin;
  } catch {
    return undefined;
  }
}

/** This machine: `localhost`, the 127.0.0.0/8 loopback addresses and `[::1]`, on any port and scheme. */
export function isLoopbackOrigin(origin: string): boolean {
  let host: string;
  try {
    host = new URL(origin).hostname;
  } catch {
    return false;
  }
  return host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** `$XDG_CONFIG_HOME/dramake/trusted.json`, else `~/.config/dramake/trusted.json`. */
export function trustFile(env: Env = process.env): string {
  const config = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(env.HOME || homedir(), ".config");
  return path.join(config, "dramake", "trusted.json");
}

/** The origins in the user's trust file; none when it is missing or unreadable (trusting less is the safe side). */
export async function readTrustFile(env: Env = process.env): Promise<string[]> {
  try {
    const data = JSON.parse(await readFile(trustFile(env), "utf8")) as { origins?: unknown };
    return Array.isArray(data.origins) ? data.origins.filter((o): o is string => typeof o === "string" && originOf(o) === o) : [];
  } catch {
    return [];
  }
}

/** Adds an origin to the user's trust file; returns false when it was already there. */
export async function addTrustedOrigin(origin: string, env: Env = process.env): Promise<boolean> {
  const current = await readTrustFile(env);
  if (current.includes(origin)) return false;
  await writeFileAtomic(trustFile(env), `${JSON.stringify({ origins: [...current, origin].sort() }, null, 2)}\n`);
  return true;
}

/** Every origin trusted besides the built-in ones and loopback: the trust file's and the variable's. */
export async function userTrustedOrigins(env: Env = process.env): Promise<Set<string>> {
  const fromVariable = (env[TRUSTED_ORIGINS_VARIABLE] ?? "")
    .split(",")
    .map((s) => originOf(s.trim()))
    .filter((o): o is string => o !== undefined);
  return new Set([...(await readTrustFile(env)), ...fromVariable]);
}

export function isTrustedOrigin(origin: string, user: ReadonlySet<string>): boolean {
  return BUILTIN_TRUSTED_ORIGINS.includes(origin) || isLoopbackOrigin(origin) || user.has(origin);
}

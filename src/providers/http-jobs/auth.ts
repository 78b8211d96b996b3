/**
 * Credentials for a job API, as headers per request: a key in a header
 * (`Authorization: Bearer {key}`, `Authorization: Key {key}`, `x-goog-api-key`)
 * or Kling's JWT: HS256 over {iss: access key, exp, nbf}, signed with the
 * secret key (node:crypto, no JWT library). A token is reused until a sixth
 * of its life is left, then a fresh one is signed: a long poll never sends
 * an expired token, and a build does not sign one per request.
 */
import { createHmac } from "node:crypto";
import type { JobApi } from "../../project/job-api.js";

export interface Credentials {
  readonly apiKey?: string;
  readonly accessKey?: string;
  readonly secretKey?: string;
}

export interface Authorizer {
  /** Headers carrying the credentials, for a request to the provider's own origin only. */
  headers(): Record<string, string>;
  /** Every secret that could appear in text, for redaction. */
  readonly secrets: readonly string[];
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

/** An HS256 JWT (RFC 7519) with the header Kling documents: {alg: HS256, typ: JWT}. */
export function signJwt(payload: Record<string, unknown>, secret: string): string {
  const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify(payload));
  const sig = createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${sig}`;
}

/**
 * The authorizer a mapping's `auth` asks for. A JWT recipe with only an
 * api_key (Kling accounts that have one) falls back to Bearer with that key.
 */
export function authorizer(auth: JobApi["auth"], creds: Credentials, now: () => number = Date.now): Authorizer {
  const secrets = [creds.apiKey, creds.accessKey, creds.secretKey].filter((s): s is string => typeof s === "string" && s !== "");
  if (auth === "none") return { headers: () => ({}), secrets };
  if (auth !== undefined && "jwt" in auth && creds.accessKey && creds.secretKey) {
    const { accessKey, secretKey } = creds;
    const ttl = auth.jwt.ttl_seconds;
    let token: { value: string; exp: number } | undefined;
    return {
      secrets,
      headers() {
        const t = Math.floor(now() / 1000);
        if (!token || token.exp - t < ttl / 6) {
          // nbf a little in the past: the vendor's clock may be behind ours.
          const exp = t + ttl;
          token = { value: signJwt({ iss: accessKey, exp, nbf: t - 5 }, secretKey), exp };
        }
        return { authorization: `Bearer ${token.value}` };
      },
    };
  }
  const key = creds.apiKey ?? "";
  const { header, format } = auth !== undefined && "header" in auth ? auth : { header: "authorization", format: "Bearer {key}" };
  return { secrets, headers: () => (key ? { [header.toLowerCase()]: format.split("{key}").join(key) } : {}) };
}

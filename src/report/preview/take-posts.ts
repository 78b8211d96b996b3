/**
 * The storyboard's "use this take" and "new take" posts. A post is accepted
 * only from the server's own page: its Origin is this server, it carries the
 * page's token (compared in constant time) in a header a cross-site form
 * cannot set, and it is JSON, which a cross-site fetch can only send after a
 * preflight this server never grants. What the post asks is checked by the
 * desk (the step must be one of the project's steps with takes); every
 * refusal is a JSON answer with the status that says why.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TakeRefusal } from "../../graph/retake.js";
import type { Result } from "../../result.js";
import { NEW_TAKE_PATH, TOKEN_HEADER, USE_TAKE_PATH } from "../storyboard/served.js";

/** What the buttons ask for; the CLI implements it (editing, pricing and, under `preview`, building). */
export interface TakeDesk {
  use(step: string, take: number): Promise<Result<TakeDone, DeskRefusal>>;
  /** `confirmed`: USD the person agreed to (the page asked); a new take estimated above it is refused as "unconfirmed". */
  renew(step: string, confirmed: number): Promise<Result<TakeDone, DeskRefusal>>;
}

export interface TakeDone {
  readonly step: string;
  readonly take: number;
  /** The project file edited, relative to the project. */
  readonly file: string;
  /** USD the build it asks for is estimated to cost. */
  readonly estimate: number;
  /** True when this server builds now (`preview`); false when `watch` rebuilds on the edit. */
  readonly building: boolean;
  readonly message: string;
}

export type DeskRefusal = TakeRefusal | { readonly kind: "busy"; readonly message: string };

/** A take post's body is a step id and maybe a number: anything bigger is not one. */
const MAX_BODY = 4096;

export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Equal-length digests, so the comparison takes the same time whatever the guess. */
function sameToken(given: string, token: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

export function isTakePost(pathname: string): boolean {
  return pathname === USE_TAKE_PATH || pathname === NEW_TAKE_PATH;
}

function answer(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  res.end(text);
}

const refuse = (res: ServerResponse, status: number, error: string, message: string, extra: Record<string, unknown> = {}): void =>
  answer(res, status, { ok: false, error, message, ...extra });

/** The HTTP status of each refusal: the client's mistake (4xx) or a state of the project (409, 422). */
const STATUS: Readonly<Record<DeskRefusal["kind"], number>> = {
  "unknown-step": 404,
  "unknown-take": 404,
  "invalid-project": 409,
  "edit-failed": 409,
  "plan-failed": 409,
  busy: 409,
  refused: 422,
  // A paid new take is asked about first: the page confirms the estimate and posts again with it.
  unconfirmed: 409,
};

/**
 * The body, or undefined past MAX_BODY. Past it, the rest is read and dropped
 * (not the stream destroyed, as leaving a for-await loop does): a client
 * still sending then gets to read the 413 instead of a reset connection.
 */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= MAX_BODY) return void chunks.push(chunk);
      req.off("data", onData);
      drainRequest(req);
      resolve(undefined);
    };
    req.on("data", onData);
    req.once("end", () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.once("error", () => resolve(undefined));
  });
}

/** What a refused request may still send before its connection is cut: enough for any honest mistake. */
export const MAX_DRAINED_BYTES = 64 * 1024 * 1024;

/** Reads a request's remaining body into nothing, so its answer can be read; past MAX_DRAINED_BYTES the connection goes. */
const draining = new WeakSet<IncomingMessage>();

export function drainRequest(req: IncomingMessage): void {
  if (req.complete || req.destroyed || draining.has(req)) return;
  draining.add(req);
  let drained = 0;
  req.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > MAX_DRAINED_BYTES) req.destroy();
  });
  req.resume();
}

export interface PostCheck {
  readonly token: string;
  /** Origins of this server (`http://127.0.0.1:4173`, `http://localhost:4173`). */
  readonly origins: ReadonlySet<string>;
}

export async function handleTakePost(req: IncomingMessage, res: ServerResponse, pathname: string, check: PostCheck, desk: TakeDesk | undefined): Promise<void> {
  if (req.method !== "POST") {
    res.setHeader("Allow", "POST");
    return refuse(res, 405, "method-not-allowed", "takes are chosen with POST");
  }
  // A declared size past the limit is answered before anything else (it tells nothing about the token).
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY) {
    drainRequest(req);
    return refuse(res, 413, "too-large", `a take request is at most ${MAX_BODY} bytes`);
  }
  // Cross-site first: a page elsewhere learns nothing, not even whether its token would do.
  const origin = req.headers.origin;
  const site = req.headers["sec-fetch-site"];
  if (origin === undefined || !check.origins.has(origin) || (site !== undefined && site !== "same-origin")) {
    return refuse(res, 403, "cross-origin", "only the storyboard page this server serves may post here");
  }
  const given = req.headers[TOKEN_HEADER];
  if (typeof given !== "string" || !sameToken(given, check.token)) {
    return refuse(res, 403, "bad-token", "missing or wrong token: reload the storyboard page");
  }
  if (!desk) return refuse(res, 404, "no-takes", "this server does not choose takes");
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") return refuse(res, 415, "not-json", "send the request as application/json");
  const text = await readBody(req);
  if (text === undefined) return refuse(res, 413, "too-large", `a take request is at most ${MAX_BODY} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return refuse(res, 400, "bad-json", "the request is not JSON");
  }
  const fields = body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const step = fields["step"];
  if (typeof step !== "string" || step === "" || step.length > 300) return refuse(res, 400, "bad-step", "step: a step id such as scene/the-call/clip");
  const use = pathname === USE_TAKE_PATH;
  const take = fields["take"];
  if (use && (typeof take !== "number" || !Number.isSafeInteger(take) || take < 1)) return refuse(res, 400, "bad-take", "take: a take number, a whole number >= 1");
  // A new take spends only what the page asked about: no `confirm` is 0, so a paid take comes back "unconfirmed" with its estimate.
  const confirm = fields["confirm"] ?? 0;
  if (!use && (typeof confirm !== "number" || !Number.isFinite(confirm) || confirm < 0)) return refuse(res, 400, "bad-confirm", "confirm: the USD agreed to, a number >= 0");
  const done = use ? await desk.use(step, take as number) : await desk.renew(step, confirm as number);
  if (done.ok) return answer(res, 200, { ok: true, ...done.value });
  const r = done.error;
  return refuse(res, STATUS[r.kind], r.kind, r.message, {
    ...(r.kind === "unknown-step" ? { allowed: r.allowed } : {}),
    ...(r.kind === "unknown-take" ? { made: r.made } : {}),
    ...(r.kind === "refused" ? { failure: r.failure } : {}),
    ...(r.kind === "unconfirmed" ? { take: r.take, estimate: r.estimate } : {}),
  });
}

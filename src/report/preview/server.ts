/**
 * `dramake preview`: build/ over HTTP on the loopback interface, with live
 * reload. node:http only. The storyboard is at `/`; every other path is a
 * file under build/; `/__dramake/events` is the reload channel; takes not
 * in build/ come from the action cache (`/__dramake/take/<key>/<output>.<ext>`),
 * and the page's take buttons post to `/__dramake/takes/use|new`
 * (take-posts.ts). Every page is served with this server's token in it.
 *
 * Takes are served from the cache rather than copied into build/: build/
 * holds what the build chose and nothing else (clean, the static page and
 * the no-op check all read it so), a cache object never changes under its
 * digest, and a take gc drops simply stops being shown.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { access, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { readAction } from "../../engine/actions.js";
import { layout, objectPath } from "../../engine/layout.js";
import { err, ok, type Result } from "../../result.js";
import { EVENTS_PATH, readPageVersion } from "../storyboard/live-reload.js";
import { renderWaitingPage } from "../storyboard/render.js";
import { STORYBOARD_FILE } from "../storyboard/write.js";
import { parseTakeMediaPath, TOKEN_META } from "../storyboard/served.js";
import { contentTypeFor } from "./content-type.js";
import { ReloadHub } from "./reload-hub.js";
import { resolveInside, sendFile, sendText } from "./static-files.js";
import { drainRequest, handleTakePost, isTakePost, newToken, type TakeDesk } from "./take-posts.js";

export interface PreviewServerOptions {
  /** The project's build/ directory. It may not exist yet (first build still running). */
  readonly buildDir: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly host?: string;
  /** The project directory, whose cache holds the takes not in build/; build/'s parent by default. */
  readonly root?: string;
  /** What the page's take buttons do; without it they are answered 404. */
  readonly takes?: TakeDesk;
}

export interface PreviewServer {
  /** e.g. `http://127.0.0.1:4173/` */
  readonly url: string;
  readonly port: number;
  /** Tells every open page to reload; returns how many were told. */
  notifyReload(): number;
  /** Ends every connection (pages included) and stops listening. Idempotent. */
  close(): Promise<void>;
}

export type PreviewServerError =
  | { readonly kind: "port-in-use"; readonly host: string; readonly port: number }
  | { readonly kind: "port-not-allowed"; readonly host: string; readonly port: number }
  | { readonly kind: "listen-failed"; readonly host: string; readonly port: number; readonly message: string };

export const DEFAULT_PREVIEW_PORT = 4173;

export async function startPreviewServer(options: PreviewServerOptions): Promise<Result<PreviewServer, PreviewServerError>> {
  const host = options.host ?? "127.0.0.1";
  const hub = new ReloadHub();
  const storyboard = join(options.buildDir, STORYBOARD_FILE);
  const allowedHosts = loopbackNames(host);
  const cache = layout(options.root ?? dirname(options.buildDir));
  const token = newToken();
  /** Filled in once listening: the origins of this server's own pages. */
  const origins = new Set<string>();

  const server = createServer((req, res) => {
    // Answered before its body was read (refused, 404): read the rest into nothing, so the client can read the answer.
    res.once("finish", () => drainRequest(req));
    handle(req, res).catch(() => {
      // Only reachable through a bug; answer instead of leaving the browser hanging.
      if (!res.headersSent) sendText(res, 500, "internal error");
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: a page on another site resolving its name to 127.0.0.1 must not read build/.
    if (allowedHosts !== undefined && !allowedHosts.has(hostnameOf(req.headers.host))) {
      return sendText(res, 403, "dramake preview only answers to localhost");
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    const pathname = url.pathname;
    if (isTakePost(pathname)) return handleTakePost(req, res, pathname, { token, origins }, options.takes);
    if (req.method !== "GET" && req.method !== "HEAD") return sendText(res, 405, "method not allowed", { Allow: "GET, HEAD" });
    if (pathname === EVENTS_PATH) {
      // Each page compares itself with its own file on disk: a series' episode page with its page, not the index.
      const page = pageFile(url.searchParams.get("page"));
      return hub.attach(res, () => currentVersion(page));
    }
    if (pathname === "/") return sendStoryboard(req, res, storyboard, token);
    const media = parseTakeMediaPath(pathname);
    if (media) return sendTake(req, res, media);
    const file = resolveInside(options.buildDir, pathname);
    if (!file.ok) return sendText(res, file.error.status, file.error.message);
    if (file.value.endsWith(".html")) return sendPage(req, res, file.value, token);
    return sendFile(req, res, file.value);
  }

  /** The storyboard page (under build/) a live-reload connection is about; the index for `/` or anything else. */
  function pageFile(page: string | null): string {
    if (page === null || page === "/" || !page.endsWith(".html")) return storyboard;
    const file = resolveInside(options.buildDir, page);
    return file.ok ? file.value : storyboard;
  }

  /** A take's output from the action cache: the key and output name come from the page, checked by shape; the digest from the record. */
  async function sendTake(req: IncomingMessage, res: ServerResponse, media: { key: string; output: string; ext: string }): Promise<void> {
    const digest = readAction(cache, media.key)?.outputs[media.output]?.digest;
    if (digest === undefined || !/^[0-9a-f]{16}$/.test(digest)) return sendText(res, 404, "no such take in the cache");
    return sendFile(req, res, objectPath(cache, digest), contentTypeFor(`take.${media.ext}`));
  }

  const listening = await new Promise<Result<number, PreviewServerError>>((settle) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const where = { host, port: options.port };
      if (error.code === "EADDRINUSE") settle(err({ kind: "port-in-use", ...where }));
      else if (error.code === "EACCES") settle(err({ kind: "port-not-allowed", ...where }));
      else settle(err({ kind: "listen-failed", ...where, message: error.message }));
    };
    server.once("error", onError);
    server.listen(options.port, host, () => {
      server.off("error", onError);
      const address = server.address();
      settle(ok(typeof address === "object" && address !== null ? address.port : options.port));
    });
  });
  if (!listening.ok) {
    hub.close();
    return listening;
  }

  const port = listening.value;
  for (const name of allowedHosts ?? loopbackNames("127.0.0.1")!) origins.add(`http://${name}:${port}`);
  let closing: Promise<void> | undefined;
  return ok({
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}/`,
    port,
    notifyReload: () => hub.reload(),
    close() {
      closing ??= new Promise<void>((done) => {
        hub.close();
        server.close(() => done());
        // Keep-alive sockets of idle browsers would otherwise hold close() open.
        server.closeAllConnections();
      });
      return closing;
    },
  });
}

export function describePreviewError(error: PreviewServerError): string {
  switch (error.kind) {
    case "port-in-use":
      return `port ${error.port} is in use; try --port N`;
    case "port-not-allowed":
      return `not allowed to listen on port ${error.port}; try --port N above 1023`;
    case "listen-failed":
      return `cannot listen on ${error.host}:${error.port}: ${error.message}`;
  }
}

async function sendStoryboard(req: IncomingMessage, res: ServerResponse, storyboard: string, token: string): Promise<void> {
  const found = await access(storyboard).then(
    () => true,
    () => false,
  );
  if (found) return sendPage(req, res, storyboard, token);
  // Before the first build finishes: a page that turns into the storyboard on the next reload.
  const body = renderWaitingPage("No storyboard yet: it appears here when a build writes build/storyboard.html.");
  res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Content-Length": Buffer.byteLength(body) });
  res.end(req.method === "HEAD" ? undefined : body);
}

/**
 * A page with this server's token in it, for its take buttons. Never cached:
 * the token changes with every server. The page's version meta is untouched,
 * so live reload compares it with the file as written.
 */
async function sendPage(req: IncomingMessage, res: ServerResponse, file: string, token: string): Promise<void> {
  let html: string;
  try {
    html = await readFile(file, "utf8");
  } catch {
    return sendText(res, 404, "not found");
  }
  const body = html.replace(/<head>/i, `<head>\n<meta name="${TOKEN_META}" content="${token}">`);
  res.writeHead(200, {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "Content-Length": Buffer.byteLength(body),
    "X-Content-Type-Options": "nosniff",
    // The page's own inline style and script, media from this server: nothing else may run or load.
    // No frame: another site cannot put the page under its own and have a visitor click its buttons.
    "Content-Security-Policy": "default-src 'self'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

async function currentVersion(storyboard: string): Promise<string> {
  return readFile(storyboard, "utf8").then(readPageVersion, () => "");
}

/** The Host names a loopback server answers to; undefined (anything) when bound to every interface. */
function loopbackNames(host: string): Set<string> | undefined {
  if (host === "0.0.0.0" || host === "::") return undefined;
  return new Set(["127.0.0.1", "localhost", "[::1]", host.includes(":") ? `[${host}]` : host]);
}

/**
 * The name in a Host header, parsed exactly: `[::1]:4173` -> `[::1]`,
 * `Localhost:4173` -> `localhost`; anything that is not one name with an
 * optional port (`[::1].evil.com:4173`, `a:b:c`) -> "" (no allowed name).
 */
export function hostnameOf(hostHeader: string | undefined): string {
  if (hostHeader === undefined) return "";
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s]+)(?::\d{1,5})?$/.exec(hostHeader);
  return match ? match[1]!.toLowerCase() : "";
}

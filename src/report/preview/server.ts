/**
 * `dramake preview`: build/ over HTTP on the loopback interface, with live
 * reload. node:http only. The storyboard is at `/`; every other path is a
 * file under build/; `/__dramake/events` is the reload channel.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import { err, ok, type Result } from "../../result.js";
import { EVENTS_PATH, readPageVersion } from "../storyboard/live-reload.js";
import { renderWaitingPage } from "../storyboard/render.js";
import { STORYBOARD_FILE } from "../storyboard/write.js";
import { ReloadHub } from "./reload-hub.js";
import { resolveInside, sendFile, sendText } from "./static-files.js";

export interface PreviewServerOptions {
  /** The project's build/ directory. It may not exist yet (first build still running). */
  readonly buildDir: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly host?: string;
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

  const server = createServer((req, res) => {
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
    if (req.method !== "GET" && req.method !== "HEAD") return sendText(res, 405, "method not allowed", { Allow: "GET, HEAD" });
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    if (pathname === EVENTS_PATH) return hub.attach(res, () => currentVersion(storyboard));
    if (pathname === "/") return sendStoryboard(req, res, storyboard);
    const file = resolveInside(options.buildDir, pathname);
    if (!file.ok) return sendText(res, file.error.status, file.error.message);
    return sendFile(req, res, file.value);
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

async function sendStoryboard(req: IncomingMessage, res: ServerResponse, storyboard: string): Promise<void> {
  const found = await access(storyboard).then(
    () => true,
    () => false,
  );
  if (found) return sendFile(req, res, storyboard);
  // Before the first build finishes: a page that turns into the storyboard on the next reload.
  const body = renderWaitingPage("No storyboard yet: it appears here when a build writes build/storyboard.html.");
  res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Content-Length": Buffer.byteLength(body) });
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

function hostnameOf(hostHeader: string | undefined): string {
  if (hostHeader === undefined) return "";
  // `[::1]:4173` keeps its brackets; `127.0.0.1:4173` loses its port.
  return hostHeader.startsWith("[") ? hostHeader.slice(0, hostHeader.indexOf("]") + 1) : (hostHeader.split(":")[0] ?? "");
}

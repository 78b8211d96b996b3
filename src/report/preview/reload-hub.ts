/**
 * Server-sent events to every open storyboard page. Each connection first
 * gets a `hello` with the version of the page on disk (see
 * storyboard/live-reload.ts), then a `reload` whenever the build says so.
 */
import type { ServerResponse } from "node:http";

/** Comments keep idle connections from being dropped by anything in between. */
const KEEPALIVE_MS = 25_000;
/** How soon a page reconnects after the server restarts. */
const RETRY_MS = 1_000;

export class ReloadHub {
  readonly #clients = new Set<ServerResponse>();
  readonly #keepalive: NodeJS.Timeout;

  constructor() {
    this.#keepalive = setInterval(() => this.#broadcast(": keepalive\n\n"), KEEPALIVE_MS);
    this.#keepalive.unref();
  }

  /** Registers first, then says hello: a reload sent meanwhile still reaches this page. */
  async attach(res: ServerResponse, currentVersion: () => Promise<string>): Promise<void> {
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
    });
    res.write(`retry: ${RETRY_MS}\n\n`);
    this.#clients.add(res);
    res.on("close", () => this.#clients.delete(res));
    const version = await currentVersion();
    if (!res.writableEnded) res.write(`event: hello\ndata: ${version}\n\n`);
  }

  /** Returns how many pages were told. */
  reload(): number {
    return this.#broadcast("event: reload\ndata: \n\n");
  }

  get size(): number {
    return this.#clients.size;
  }

  close(): void {
    clearInterval(this.#keepalive);
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }

  #broadcast(message: string): number {
    for (const res of this.#clients) res.write(message);
    return this.#clients.size;
  }
}

/**
 * The Redis connection a coordinator or a worker uses: `redis://` or
 * `rediss://` (TLS), `redis://:password@host:port/db`. The URL is only ever
 * shown with its password replaced, and an unreachable Redis at start is a
 * clear error naming it (ioredis would otherwise retry forever, silently).
 */
import { Redis, type RedisOptions } from "ioredis";
import { err, ok, type Result } from "../../../result.js";
import type { QueueFailure } from "./contract.js";

/** The BullMQ key prefix every dramake queue, journal and pool list lives under. */
export const DEFAULT_PREFIX = "dramake";

export interface QueueError {
  readonly message: string;
  readonly failure: QueueFailure;
}

/** The URL with user info's password replaced by `***` (and a bad URL not echoed whole). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== "") u.password = "***";
    return u.toString().replace(/\/$/, "");
  } catch {
    return "<the queue URL, which is not a valid URL>";
  }
}

/** Removes the URL's password from any text (ioredis and BullMQ messages, to be safe). */
export function redactor(url: string): (text: string) => string {
  let secret = "";
  try {
    secret = decodeURIComponent(new URL(url).password);
  } catch {
    // Not a URL: nothing to hide beyond the URL itself.
  }
  return (text) => {
    let out = text.split(url).join(redactUrl(url));
    if (secret !== "") out = out.split(secret).join("***");
    return out;
  };
}

/** Checks the scheme; ioredis takes the rest (host, port, password, db, TLS for rediss). */
export function checkUrl(url: string): Result<URL, QueueError> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return err(unreachable(url, "it is not a URL; use redis://host:6379, redis://:password@host:6379 or rediss://host:6380"));
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") {
    return err(unreachable(url, `its scheme is ${u.protocol.replace(/:$/, "")}; use redis:// or rediss:// (TLS)`));
  }
  return ok(u);
}

function unreachable(url: string, reason: string): QueueError {
  const shown = redactUrl(url);
  const clean = redactor(url)(reason);
  return {
    message: `cannot reach the queue at ${shown}: ${clean} (start Redis there, or fix DRAMAKE_QUEUE / --queue)`,
    failure: { kind: "queue-unreachable", url: shown, reason: clean },
  };
}

export interface ConnectOptions {
  /**
   * How long a dropped connection may take to come back before the client
   * gives up and ends (`end` event): then waiting steps fail instead of
   * hanging. Infinity for a worker, which should outlive a Redis restart.
   */
  readonly reconnectForMs: number;
  readonly connectTimeoutMs?: number;
}

/**
 * A connected client, after one PING proved the URL, the password and TLS
 * right. BullMQ needs `maxRetriesPerRequest: null` on the connections it
 * blocks on; it duplicates this client for those, options included.
 */
export async function connect(url: string, options: ConnectOptions): Promise<Result<Redis, QueueError>> {
  const checked = checkUrl(url);
  if (!checked.ok) return checked;
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  let lastError = "";
  // Without a listener ioredis prints every error itself, unredacted.
  probe.on("error", (e: Error) => (lastError = e.message));
  try {
    await probe.connect();
    await probe.ping();
  } catch (e) {
    probe.disconnect();
    return err(unreachable(url, lastError || (e as Error).message || "connection failed"));
  }
  probe.disconnect();
  let downSince: number | undefined;
  const client = new Redis(url, {
    ...clientOptions(options.connectTimeoutMs),
    retryStrategy: (times) => {
      downSince ??= Date.now();
      if (Date.now() - downSince > options.reconnectForMs) return null;
      return Math.min(50 * times, 500);
    },
  });
  client.on("error", () => {
    // Reported through 'end' (and the failed commands); never printed here with a URL in it.
  });
  client.on("ready", () => (downSince = undefined));
  return ok(client);
}

function clientOptions(connectTimeoutMs: number | undefined): RedisOptions {
  return { maxRetriesPerRequest: null, connectTimeout: connectTimeoutMs ?? 5000 };
}

/**
 * The preview server (issue 33, item 7): the Host header is parsed exactly
 * (`[::1].evil.com:PORT` was taken for `[::1]`), and a 20 MB take post gets
 * a 413 the client can read (its connection used to be reset mid-upload).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { connect } from "node:net";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPreviewServer, type PreviewServer } from "../src/report/preview/index.js";
import { TOKEN_HEADER, USE_TAKE_PATH } from "../src/report/storyboard/served.js";

let server: PreviewServer;
let desked = 0;
before(async () => {
  const buildDir = await mkdtemp(join(tmpdir(), "dramake-preview-"));
  await writeFile(join(buildDir, "storyboard.html"), "<!doctype html><html><head><title>s</title></head><body>storyboard</body></html>\n");
  const refuse = async () => {
    desked++;
    return { ok: false as const, error: { kind: "busy" as const, message: "busy" } };
  };
  const started = await startPreviewServer({ buildDir, port: 0, takes: { use: refuse, renew: refuse } });
  assert.ok(started.ok);
  server = started.value;
});
after(() => server?.close());

interface Reply {
  readonly status: number;
  readonly body: string;
}

/** A request whose body is `size` bytes, sent in 64 KB chunks (chunked when `declare` is false). */
function send(path: string, headers: Record<string, string>, method = "GET", size = 0, declare = true): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: server.port, path, method, headers: { ...headers, ...(size && declare ? { "Content-Length": String(size) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let left = size;
    const pump = (): void => {
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

/**
 * As many clients do (Python's requests, a shell script over a socket): send
 * the whole request, then read the answer. A server that cuts the connection
 * at the limit makes the rest of the upload fail, and the answer is lost.
 */
function sendAllThenRead(path: string, headers: Record<string, string>, size: number): Promise<{ status: number } | { error: string }> {
  return new Promise((resolve) => {
    const socket = connect(server.port, "127.0.0.1");
    let answer = "";
    let failed: string | undefined;
    socket.on("data", (c: Buffer) => (answer += c.toString("latin1")));
    socket.on("error", (e: NodeJS.ErrnoException) => (failed ??= e.code ?? e.message));
    socket.on("close", () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
      resolve(status && failed === undefined ? { status: Number(status) } : { error: failed ?? `no answer (${answer.length} bytes)` });
    });
    const head = [`POST ${path} HTTP/1.1`, `Host: 127.0.0.1:${server.port}`, `Content-Length: ${size}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), "", ""].join("\r\n");
    socket.write(head);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let left = size;
    const pump = (): void => {
      while (left > 0 && !socket.destroyed) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!socket.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void socket.once("drain", pump);
      }
      if (!socket.destroyed) socket.end();
    };
    pump();
  });
}

test("Host is parsed exactly: a loopback name followed by more is not loopback", async () => {
  const port = server.port;
  for (const host of [`[::1].evil.com:${port}`, `[::1].evil.com`, `localhost.evil.com:${port}`, `127.0.0.1.evil.com:${port}`, `[::1]x:${port}`, `localhost:${port}:1`]) {
    assert.equal((await send("/", { Host: host })).status, 403, `Host: ${host}`);
  }
  for (const host of [`[::1]:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `127.0.0.1:${port}`, "localhost"]) {
    assert.equal((await send("/", { Host: host })).status, 200, `Host: ${host}`);
  }
});

test("a 20 MB take post is answered 413, readable by the client, declared or chunked; the desk is never asked", async () => {
  const token = /name="dramake-token" content="([^"]+)"/.exec((await send("/", {})).body)?.[1];
  assert.ok(token, "the page carries its token");
  const headers = { Origin: `http://127.0.0.1:${server.port}`, [TOKEN_HEADER]: token, "Content-Type": "application/json" };
  const declared = await send(USE_TAKE_PATH, headers, "POST", 20 * 1024 * 1024, true);
  assert.equal(declared.status, 413);
  assert.match(declared.body, /"too-large"/);
  const chunked = await send(USE_TAKE_PATH, headers, "POST", 20 * 1024 * 1024, false);
  assert.equal(chunked.status, 413);
  assert.match(chunked.body, /a take request is at most 4096 bytes/);
  // Sent whole before reading: the answer must still be there to read.
  for (const path of [USE_TAKE_PATH, "/", "/nothing-here"]) {
    const whole = await sendAllThenRead(path, headers, 20 * 1024 * 1024);
    assert.ok("status" in whole, `${path}: ${JSON.stringify(whole)}`);
    assert.equal(whole.status, path === USE_TAKE_PATH ? 413 : 405);
  }
  // A small one still reaches the desk.
  const small = await send(USE_TAKE_PATH, headers, "POST", 0);
  assert.equal(small.status, 400);
  assert.equal(desked, 0);
});

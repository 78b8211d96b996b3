import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { request, type IncomingMessage } from "node:http";
import { createServer } from "node:net";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { writeStoryboard } from "../src/report/storyboard/index.js";
import { writeStoryboardPages } from "../src/report/storyboard/write.js";
import { readPageVersion } from "../src/report/storyboard/live-reload.js";
import { describePreviewError, startPreviewServer, type PreviewServer } from "../src/report/preview/index.js";
import { parseRange } from "../src/report/preview/range.js";
import { buildDirFor, englishModel } from "./storyboard-fixtures.js";

interface Reply {
  status: number;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

/** A raw request: the path is sent exactly as given (no client-side normalization). */
function get(server: PreviewServer, path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: server.port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Opens the SSE channel and yields each event as it arrives. */
function events(server: PreviewServer, path = "/__dramake/events"): { next(): Promise<{ event: string; data: string }>; close(): void; ended: Promise<void> } {
  const queue: { event: string; data: string }[] = [];
  const waiting: ((e: { event: string; data: string }) => void)[] = [];
  let buffer = "";
  let ended!: () => void;
  const endedP = new Promise<void>((r) => (ended = r));
  const req = request({ host: "127.0.0.1", port: server.port, path }, (res) => {
    assert.equal(res.headers["content-type"], "text/event-stream; charset=utf-8");
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        if (event === undefined) continue; // retry: and keepalive comments
        const e = { event, data: /^data: ?(.*)$/m.exec(block)?.[1] ?? "" };
        const w = waiting.shift();
        if (w) w(e);
        else queue.push(e);
      }
    });
    res.on("end", ended);
    res.on("close", ended);
  });
  req.end();
  return {
    next: () => {
      const e = queue.shift();
      return e ? Promise.resolve(e) : new Promise((r) => waiting.push(r));
    },
    close: () => req.destroy(),
    ended: endedP,
  };
}

describe("preview server over real HTTP on 127.0.0.1", () => {
  let buildDir: string;
  let server: PreviewServer;
  before(async () => {
    buildDir = await buildDirFor(englishModel);
    assert.ok((await writeStoryboard(buildDir, englishModel)).ok);
    await writeFile(join(dirname(buildDir), "secret.txt"), "project secret");
    const started = await startPreviewServer({ buildDir, port: 0 });
    assert.ok(started.ok);
    server = started.value;
  });
  after(() => server.close());

  test("serves the storyboard at / as HTML and says where", async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const r = await get(server, "/");
    assert.equal(r.status, 200);
    assert.equal(r.headers["content-type"], "text/html; charset=utf-8");
    // The page as written, with this server's token for its take buttons after <head>, and never framed.
    const page = await readFile(join(buildDir, "storyboard.html"), "utf8");
    const served = r.body.toString("utf8");
    const token = /<head>\n<meta name="dramake-token" content="([A-Za-z0-9_-]{43})">\n/.exec(served);
    assert.ok(token, "the token is in the served page");
    assert.equal(served.replace(`<meta name="dramake-token" content="${token[1]}">\n`, ""), page);
    assert.equal(r.headers["x-frame-options"], "DENY");
    assert.match(String(r.headers["content-security-policy"]), /frame-ancestors 'none'/);
  });

  test("serves media with their content types and answers ranges with 206", async () => {
    const clip = await readFile(join(buildDir, "scenes/the-call/clip.mp4"));
    const png = await get(server, "/scenes/the-call/keyframe.png");
    assert.equal(png.status, 200);
    assert.equal(png.headers["content-type"], "image/png");

    const whole = await get(server, "/scenes/the-call/clip.mp4");
    assert.equal(whole.status, 200);
    assert.equal(whole.headers["content-type"], "video/mp4");
    assert.equal(whole.headers["accept-ranges"], "bytes");
    assert.deepEqual(whole.body, clip);

    const part = await get(server, "/scenes/the-call/clip.mp4", { Range: "bytes=100-199" });
    assert.equal(part.status, 206);
    assert.equal(part.headers["content-range"], `bytes 100-199/${clip.length}`);
    assert.deepEqual(part.body, clip.subarray(100, 200));

    const tail = await get(server, "/scenes/the-call/clip.mp4", { Range: "bytes=-16" });
    assert.equal(tail.status, 206);
    assert.deepEqual(tail.body, clip.subarray(clip.length - 16));

    const beyond = await get(server, "/scenes/the-call/clip.mp4", { Range: `bytes=${clip.length}-` });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers["content-range"], `bytes */${clip.length}`);

    const head = await get(server, "/scenes/the-call/clip.mp4", {}, "HEAD");
    assert.equal(head.status, 200);
    assert.equal(Number(head.headers["content-length"]), clip.length);
    assert.equal(head.body.length, 0);

    const again = await get(server, "/scenes/the-call/clip.mp4", { "If-None-Match": String(whole.headers.etag) });
    assert.equal(again.status, 304);
  });

  test("percent-encoded names (CJK, spaces) resolve to their files", async () => {
    await writeFile(join(buildDir, "scenes", "电话 1.txt"), "ok");
    const r = await get(server, `/scenes/${encodeURIComponent("电话 1.txt")}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.toString(), "ok");
  });

  test("nothing outside build/ is served, however the path is spelled", async () => {
    for (const path of ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/scenes/..%2f..%2fsecret.txt", "/%2e%2e%5csecret.txt"]) {
      const r = await get(server, path);
      assert.notEqual(r.status, 200, path);
      assert.doesNotMatch(r.body.toString(), /project secret/, path);
    }
    assert.equal((await get(server, "/..%2fsecret.txt")).status, 403);
    assert.equal((await get(server, "/%E0%A4%A")).status, 400);
    assert.equal((await get(server, "/scenes")).status, 404, "no directory listings");
    assert.equal((await get(server, "/missing.mp4")).status, 404);
  });

  test("only answers to localhost names and to GET/HEAD", async () => {
    assert.equal((await get(server, "/", { Host: "evil.example:80" })).status, 403);
    assert.equal((await get(server, "/", { Host: "localhost:1" })).status, 200);
    const post = await get(server, "/", {}, "POST");
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, "GET, HEAD");
  });

  test("the events channel says hello with the page's version and pushes reload to every page", async () => {
    const version = readPageVersion(await readFile(join(buildDir, "storyboard.html"), "utf8"));
    const a = events(server);
    const b = events(server);
    assert.deepEqual(await a.next(), { event: "hello", data: version });
    assert.deepEqual(await b.next(), { event: "hello", data: version });
    assert.equal(server.notifyReload(), 2);
    assert.equal((await a.next()).event, "reload");
    assert.equal((await b.next()).event, "reload");
    a.close();
    b.close();
  });

  test("a series' episode page is compared with its own file, not the index (else it would reload for ever)", async () => {
    const episode = { ...englishModel, title: "Episode 1", index: { href: "storyboard.html", title: "The series" } };
    assert.ok((await writeStoryboardPages(buildDir, [{ file: "storyboard-01.html", model: episode }], undefined)).ok);
    const own = readPageVersion(await readFile(join(buildDir, "storyboard-01.html"), "utf8"));
    const index = readPageVersion(await readFile(join(buildDir, "storyboard.html"), "utf8"));
    assert.notEqual(own, index);
    const page = events(server, "/__dramake/events?page=%2Fstoryboard-01.html");
    assert.deepEqual(await page.next(), { event: "hello", data: own });
    page.close();
    // A page outside build/ or not a page at all is answered with the index's version.
    const outside = events(server, "/__dramake/events?page=%2F..%2Fsecret.html");
    assert.deepEqual(await outside.next(), { event: "hello", data: index });
    outside.close();
  });
});

test("before the first build, / is a waiting page that reloads like the storyboard", async () => {
  const buildDir = join(await mkdtemp(join(tmpdir(), "dramake-empty-")), "build");
  const started = await startPreviewServer({ buildDir, port: 0 });
  assert.ok(started.ok);
  const r = await get(started.value, "/");
  assert.equal(r.status, 200);
  assert.match(r.body.toString(), /No storyboard yet/);
  assert.match(r.body.toString(), /__dramake\/events/);
  await started.value.close();
});

test("a taken port is a typed error with the message the CLI prints", async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
  const port = (blocker.address() as { port: number }).port;
  try {
    const started = await startPreviewServer({ buildDir: tmpdir(), port, host: "127.0.0.1" });
    assert.ok(!started.ok);
    assert.deepEqual(started.error, { kind: "port-in-use", host: "127.0.0.1", port });
    assert.equal(describePreviewError(started.error), `port ${port} is in use; try --port N`);
  } finally {
    await new Promise((r) => blocker.close(r));
  }
});

test("close() ends open event streams and keep-alive connections, and can be called twice", async () => {
  const started = await startPreviewServer({ buildDir: tmpdir(), port: 0 });
  assert.ok(started.ok);
  const stream = events(started.value);
  assert.equal((await stream.next()).event, "hello");
  await Promise.all([started.value.close(), started.value.close()]);
  await stream.ended;
});

test("parseRange: single ranges as <video> sends them; anything else is a full answer", () => {
  assert.deepEqual(parseRange(undefined, 100), { kind: "full" });
  assert.deepEqual(parseRange("bytes=0-", 100), { kind: "partial", start: 0, end: 99 });
  assert.deepEqual(parseRange("bytes=10-20", 100), { kind: "partial", start: 10, end: 20 });
  assert.deepEqual(parseRange("bytes=90-500", 100), { kind: "partial", start: 90, end: 99 });
  assert.deepEqual(parseRange("bytes=-10", 100), { kind: "partial", start: 90, end: 99 });
  assert.deepEqual(parseRange("bytes=-500", 100), { kind: "partial", start: 0, end: 99 });
  assert.deepEqual(parseRange("bytes=100-", 100), { kind: "unsatisfiable" });
  assert.deepEqual(parseRange("bytes=-0", 100), { kind: "unsatisfiable" });
  assert.deepEqual(parseRange("bytes=0-", 0), { kind: "unsatisfiable" });
  assert.deepEqual(parseRange("bytes=20-10", 100), { kind: "full" });
  assert.deepEqual(parseRange("bytes=0-1,5-6", 100), { kind: "full" });
  assert.deepEqual(parseRange("items=0-1", 100), { kind: "full" });
  assert.deepEqual(parseRange("bytes=-", 100), { kind: "full" });
});

/**
 * The fake OpenAI server run on its own (as the CLI tests will run it):
 * it announces its URL, accepts faults and serves its log over HTTP, and
 * stops on SIGTERM.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { callContext } from "./fixtures/openai-server/call-context.js";
import { testProvider } from "./fixtures/openai-server/provider.js";
import OpenAI, { toFile } from "openai";
import { png } from "./fixtures/openai-server/media.js";
import { startOpenAIServer, type LogEntry } from "./fixtures/openai-server/server.js";
import { bundled } from "./fixtures/bundled.js";

const main = fileURLToPath(new URL("./fixtures/openai-server/main.ts", import.meta.url));

test("standalone server: URL on stdout, faults and log over HTTP, exits on SIGTERM", { timeout: 30_000 }, async () => {
  const child = spawn(process.execPath, [await bundled(main), "--port", "0", "--video-polls", "1"], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`server exited with ${code} before announcing its URL`)));
    });
    const { url } = JSON.parse(String(first)) as { url: string };
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const origin = url.replace(/\/v1$/, "");

    const injected = await fetch(`${origin}/__inject`, { method: "POST", body: JSON.stringify({ route: "audio.speech", fault: { kind: "status", status: 500 } }) });
    assert.equal(injected.status, 200);
    await testProvider(url).speech({ text: "hi", language: "en", speaker: { id: "a", name: "A", look: "", voice: "onyx" } }, await callContext("wav"));
    const log = (await (await fetch(`${origin}/__log`)).json()) as LogEntry[];
    assert.deepEqual(log.map((e) => [e.route, e.status]), [["audio.speech", 500], ["audio.speech", 200]]);

    child.kill("SIGTERM");
    const [code] = (await once(child, "exit")) as [number | null];
    assert.equal(code, 0);
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
  }
});

test("like the real API, a video's input_reference must have the video's exact size", async () => {
  const server = await startOpenAIServer();
  try {
    const sdk = new OpenAI({ apiKey: "sk-x", baseURL: server.url, maxRetries: 0 });
    const create = async (w: number, h: number) =>
      sdk.videos.create({ model: "sora-2", prompt: "p", size: "720x1280", seconds: "4", input_reference: await toFile(await png(w, h), "k.png", { type: "image/png" }) });
    await assert.rejects(create(1024, 1536), (e: Error & { status?: number }) => e.status === 400 && /must match/.test(e.message));
    assert.equal((await create(720, 1280)).status, "queued");
  } finally {
    await server.close();
  }
});

/**
 * Issue 33 item 15: every provider recipe a user is told to copy builds as
 * written. README yaml blocks marked `<!-- recipe -->` are merged into the
 * English example (their top-level keys replace its own); the commented
 * provider blocks of examples/*\/drama.yaml are uncommented as a user would
 * (lines `#   ...` and `# providers:`; a `#     # ...` line stays a comment)
 * with the `use:` their comment names. Each is built by the real CLI, at a
 * tiny size, against the fakes: test/fixtures/openai-server for text, images
 * and speech, test/fixtures/relay-server for video and music jobs, behind one
 * origin as a relay is. A new recipe is picked up by the same rules; a README
 * block with `providers:` must say whether it is a recipe.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { editYamlText } from "../src/project/edit.js";
import { runCli } from "./build-helpers.js";
import { KEY } from "./build-openai-helpers.js";
import { startOpenAIServer, type OpenAIServer } from "./fixtures/openai-server/server.js";
import { startRelayServer, type RelayServer } from "./fixtures/relay-server/server.js";
import { probed } from "./media-helpers.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const RELAY_KEY = "sk-relay-SECRET-456";

interface Recipe {
  readonly name: string;
  /** drama.yaml as the user would have it after following the recipe. */
  readonly text: string;
}

/** README: fenced yaml blocks right after a `<!-- recipe ... -->` line, merged into the English example. */
export function readmeRecipes(readme: string, base: string): Recipe[] {
  const out: Recipe[] = [];
  for (const m of readme.matchAll(/<!-- recipe\b[^>]*-->\n```yaml\n([\s\S]*?)\n```/g)) {
    const line = readme.slice(0, m.index).split("\n").length + 2;
    const block = parse(m[1]!) as Record<string, unknown>;
    let text = base;
    for (const [key, value] of Object.entries(block)) {
      const edited = editYamlText(text, [{ kind: "set", path: [key], value }]);
      assert.ok(edited.ok, edited.ok ? "" : edited.error.message);
      text = edited.value;
    }
    out.push({ name: `README.md:${line}`, text });
  }
  return out;
}

/** An example's commented provider blocks, each uncommented with the `use:` its comment names. */
export function exampleRecipes(file: string, text: string): Recipe[] {
  const lines = text.split("\n");
  const header = lines.findIndex((l) => l === "# providers:");
  if (header < 0) return [];
  let end = header;
  while (end + 1 < lines.length && lines[end + 1]!.startsWith("#")) end++;
  const out: Recipe[] = [];
  const starts = lines.flatMap((l, i) => (i > header && i <= end && /^# {3}[a-z][a-z0-9-]*:$/.test(l) ? [i] : []));
  starts.forEach((start, k) => {
    const name = /^# {3}([a-z0-9-]+):$/.exec(lines[start]!)![1]!;
    const stop = k + 1 < starts.length ? starts[k + 1]! : end + 1;
    // The prose before the block (and before `# providers:` for the first) says what use: to set.
    const prose = lines.slice(0, stop).filter((l, i) => i <= end && /^# [^ ]/.test(l)).join("\n");
    const use = [...prose.matchAll(/use: (\{[^}]*\})/g)].map((m) => m[1]!).reverse().find((u) => u.includes(name));
    assert.ok(use, `${file}: the comment before provider '${name}' names no use: { ... } with it`);
    const block = lines.slice(start, stop).filter((l) => /^# {3}/.test(l)).map((l) => l.slice(2));
    const uncommented = lines.map((l, i) => (i === header ? "providers:" : l));
    const useLine = uncommented.findIndex((l) => l.startsWith("use:"));
    uncommented.splice(useLine, 1, `use: ${use}`);
    uncommented.splice(header + 1, 0, ...block);
    out.push({ name: `${path.relative(root, file)} (${name})`, text: uncommented.join("\n") });
  });
  return out;
}

let openai: OpenAIServer;
let relay: RelayServer;
let front: Server;
let frontUrl: string;
before(async () => {
  openai = await startOpenAIServer({ apiKey: KEY });
  relay = await startRelayServer({ apiKey: RELAY_KEY, polls: 1 });
  // One origin, as a relay is: its job APIs to the relay fake, everything else (chat, images, speech) to the OpenAI one.
  const jobs = /^\/v1\/(videos?\/generations|audio\/generations)(\/|$)/;
  front = createServer((req, res) => {
    const target = new URL(jobs.test(req.url ?? "") ? relay.url : openai.url);
    const headers = { ...req.headers, host: target.host };
    // Each fake checks its own key: the relay's key answers for the relay, as one service would.
    if (!jobs.test(req.url ?? "")) headers.authorization = `Bearer ${KEY}`;
    const up = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
  frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}/v1`;
});
after(async () => {
  await new Promise((resolve) => front?.close(resolve));
  await openai?.close();
  await relay?.close();
});

const env = () => ({ OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: KEY, RELAY_BASE_URL: frontUrl, RELAY_API_KEY: RELAY_KEY, DRAMAKE_OPENAI_POLL_MS: "20", DRAMAKE_OPENAI_BACKOFF_MS: "20" });

async function recipes(): Promise<Recipe[]> {
  const base = await readFile(path.join(root, "examples/new-year-surprise/drama.yaml"), "utf8");
  const all = readmeRecipes(await readFile(path.join(root, "README.md"), "utf8"), base);
  for (const dir of await readdir(path.join(root, "examples"))) {
    const file = path.join(root, "examples", dir, "drama.yaml");
    all.push(...exampleRecipes(file, await readFile(file, "utf8")));
  }
  return all;
}

test("every README yaml block that defines providers says whether it is a recipe", async () => {
  const readme = await readFile(path.join(root, "README.md"), "utf8");
  for (const m of readme.matchAll(/(.*)\n```yaml\n([\s\S]*?)\n```/g)) {
    if (!/^providers:/m.test(m[2]!)) continue;
    const line = readme.slice(0, m.index).split("\n").length + 1;
    assert.match(m[1]!, /^<!-- (recipe\b.*|not a recipe: .+) -->$/, `README.md:${line}: a providers: block marked neither <!-- recipe --> nor <!-- not a recipe: why -->`);
  }
});

test("the recipes are found: both README provider recipes and every example's commented provider", async () => {
  const names = (await recipes()).map((r) => r.name);
  assert.equal(names.filter((n) => n.startsWith("README.md:")).length, 2, names.join("\n"));
  for (const n of ["examples/new-year-surprise/drama.yaml (cloud)", "examples/new-year-surprise/drama.yaml (relay)", "examples/tea-shop/drama.yaml (cloud)"]) assert.ok(names.includes(n), `${n} not in:\n${names.join("\n")}`);
});

test("every recipe builds as written against the fakes: exit 0, a real video, the recipe's providers asked, no refusal", async (t) => {
  for (const recipe of await recipes()) {
    await t.test(recipe.name, async () => {
      const dir = await mkdtemp(path.join(tmpdir(), "dramake-recipe-"));
      const small = editYamlText(recipe.text, [{ kind: "set", path: ["format"], value: { aspect: "9:16", size: "72x128", fps: 12 } }]);
      assert.ok(small.ok);
      await writeFile(path.join(dir, "drama.yaml"), small.value);
      const data = parse(small.value) as { use: Record<string, string>; title: string };
      const asked = { openai: openai.log.length, relay: relay.log.length };
      const r = await runCli(["build", dir], { env: env() });
      assert.equal(r.code, 0, `${recipe.name}:\n${r.stderr}`);
      assert.doesNotMatch(r.stderr, /price unknown|unpriced|not set|refus/i);
      const built = (await readdir(path.join(dir, "build"))).find((f) => f.endsWith(".mp4"));
      assert.ok(built, "a video");
      const info = await probed(path.join(dir, "build", built));
      assert.ok(info.duration > 1, `${info.duration} s`);
      // What the recipe points use: at was really asked, through the fakes.
      const used = new Set(Object.values(data.use).filter((p) => p !== "offline"));
      assert.ok(used.size > 0, "the recipe uses a provider");
      assert.ok(openai.log.length > asked.openai, "text, images or speech went to the OpenAI-compatible fake");
      if (data.use.video && data.use.video !== "offline") assert.ok(relay.log.slice(asked.relay).some((e) => e.route === "video.create"), "a video job");
      if (data.use.music && data.use.music !== "offline") assert.ok(relay.log.slice(asked.relay).some((e) => e.route === "music.create"), "a music job");
      for (const k of [KEY, RELAY_KEY]) assert.ok(!(r.stdout + r.stderr).includes(k));
      await rm(dir, { recursive: true, force: true });
    });
  }
});

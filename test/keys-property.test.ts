/**
 * Issue 26, key completeness: mutate any field of a project that a step's run
 * can read and assert that exactly the paid steps whose requests changed get
 * new keys. Every provider is replaced by a recorder that writes down what a
 * run actually asks it for (its identity, the request with files as digests,
 * the take) and answers with bytes made from that record, so an output changes
 * exactly when its request does and the change flows down the graph as in a
 * real build. Local steps (reference, dialogue, cut, ...) are not run: their
 * outputs are modelled as a function of their key.
 *
 * Completeness: a request that changed with an unchanged key would restore a
 * stale output (the keyframe before issue 26: a renamed or re-described person
 * with a `reference:` picture). Minimality: a key that changed with the same
 * request and the same inputs would pay twice.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { stringify } from "yaml";
import type { Artifact, StepContext, StepSpec } from "../src/engine/step.js";
import { stepKey } from "../src/engine/key.js";
import { canonicalJson } from "../src/engine/canonical.js";
import { digestBytes, digestString } from "../src/engine/hash.js";
import { loadProject } from "../src/project/load.js";
import { resolveBackends, type ModalityProvider, type Backends } from "../src/graph/backends.js";
import { dramaSteps } from "../src/graph/drama.js";
import type { CallContext, Provider, Usage } from "../src/providers/types.js";
import { registerProvider } from "../src/providers/registry.js";
import { opNamed } from "../src/engine/ops.js";
import { ok } from "../src/result.js";

const ENV = { CLOUD_KEY: "sk-test-property" };
const PNG_A = Buffer.from("picture A");

type Yaml = Record<string, any>;

function baseProject(): Yaml {
  return {
    dramake: 1,
    title: "Keys",
    language: "en",
    theme: "Two neighbours, one umbrella.",
    format: { aspect: "9:16", size: "180x320", fps: 12 },
    style: "flat colours",
    providers: {
      cloud: {
        type: "openai",
        base_url: "http://127.0.0.1:9/v1",
        api_key: "${CLOUD_KEY}",
        models: { text: "gpt-4.1-mini", polish: "gpt-4.1", image: "gpt-image-1", speech: "gpt-4o-mini-tts", video: "sora-2" },
      },
    },
    use: { text: "cloud", image: "cloud", speech: "cloud", video: "cloud", music: "offline" },
    cast: {
      ann: { name: "Ann", look: "young woman, red coat", voice: { cloud: "nova", offline: "en+f3", style: "bright" }, reference: "refs/ann.png" },
      bob: { name: "Bob", look: "old man, grey hat", voice: { cloud: "onyx", offline: "en+m3" } },
    },
    scenes: [
      { id: "think", setting: "a small room", cast: ["bob"], action: "He watches the rain.", camera: "static", seconds: 1, beat: "He wonders." },
      {
        id: "hello",
        setting: "a doorway",
        cast: ["ann", "bob"],
        action: "They meet.",
        camera: "slow push-in",
        seconds: 1,
        lines: [{ ann: "Hi, it is pouring." }, { bob: "Take my umbrella." }],
      },
    ],
    music: { mood: "calm", seconds: 4 },
  };
}

interface Variant {
  readonly yaml: Yaml;
  readonly picture: Buffer;
}

/** One edit of a field some step's run can read. */
type Mutation = (v: { yaml: Yaml; picture: Buffer }) => void;

const word = fc.stringMatching(/^[a-z][a-z ]{0,10}[a-z]$/);
const castId = fc.constantFrom("ann", "bob");
const sceneIx = fc.constantFrom(0, 1);

/** A mutation that prints what it edits in a counterexample. */
function named(label: string, apply: Mutation): Mutation {
  return Object.assign(apply, { [fc.toStringMethod]: () => label });
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(castId, word).map(([c, w]) => named(`cast.${c}.name = ${w}`, (v) => void (v.yaml.cast[c].name = w))),
  fc.tuple(castId, word).map(([c, w]) => named(`cast.${c}.look = ${w}`, (v) => void (v.yaml.cast[c].look = w))),
  word.map((w) => named(`refs/ann.png bytes = ${w}`, (v) => void (v.picture = Buffer.from(`picture ${w}`)))),
  fc.tuple(sceneIx, fc.constantFrom("setting", "action", "camera"), word).map(([s, f, w]) => named(`scenes[${s}].${f} = ${w}`, (v) => void (v.yaml.scenes[s][f] = w))),
  word.map((w) => named(`scenes[0].beat = ${w}`, (v) => void (v.yaml.scenes[0].beat = w))),
  fc.tuple(fc.constantFrom(0, 1), word).map(([i, w]) =>
    named(`scenes[1].lines[${i}] = ${w}`, (v) => {
      const line = v.yaml.scenes[1].lines[i];
      line[Object.keys(line)[0]!] = w;
    }),
  ),
  fc.tuple(fc.constantFrom("style", "theme", "title"), word).map(([f, w]) => named(`${f} = ${w}`, (v) => void (v.yaml[f] = w))),
  fc.constantFrom("en-GB", "fr").map((l) => named(`language = ${l}`, (v) => void (v.yaml.language = l))),
  fc.tuple(castId, fc.constantFrom("alloy", "echo")).map(([c, voice]) => named(`cast.${c}.voice.cloud = ${voice}`, (v) => void (v.yaml.cast[c].voice.cloud = voice))),
  fc.tuple(castId, word).map(([c, w]) => named(`cast.${c}.voice.style = ${w}`, (v) => void (v.yaml.cast[c].voice.style = w))),
  fc.tuple(fc.constantFrom("text", "polish", "image", "speech", "video"), word).map(([m, w]) =>
    named(`models.${m} = ${w}`, (v) => void (v.yaml.providers.cloud.models[m] = w.replace(/ /g, "-"))),
  ),
  fc.constant(named("base_url = :10", (v) => void (v.yaml.providers.cloud.base_url = "http://127.0.0.1:10/v1"))),
  fc.constantFrom("360x640", "720x1280").map((size) => named(`format.size = ${size}`, (v) => void (v.yaml.format.size = size))),
  fc.constant(named("format.fps = 24", (v) => void (v.yaml.format.fps = 24))),
  fc.tuple(sceneIx, fc.integer({ min: 2, max: 3 })).map(([s, n]) => named(`scenes[${s}].seconds = ${n}`, (v) => void (v.yaml.scenes[s].seconds = n))),
  fc.tuple(sceneIx, fc.constantFrom("keyframe", "clip", "voice/1"), fc.integer({ min: 2, max: 3 })).map(([s, step, n]) =>
    named(`scenes[${s}].take.${step} = ${n}`, (v) => void (v.yaml.scenes[s].take = { [step]: n })),
  ),
  fc.integer({ min: 2, max: 3 }).map((n) => named(`cast.bob.take = ${n}`, (v) => void (v.yaml.cast.bob.take = n))),
  word.map((w) => named(`music.mood = ${w}`, (v) => void (v.yaml.music.mood = w))),
);

/** What a run asked its provider for, per step; the key of every step; and whether a step calls a provider at all. */
interface Simulation {
  readonly keys: Map<string, string>;
  readonly requests: Map<string, string>;
  readonly inputs: Map<string, string>;
  readonly steps: Map<string, StepSpec>;
}

const fileDigest = async (path: string) => digestBytes(await readFile(path));

/** Every request a recorder was asked, in order (steps are run one at a time). */
const LOG: string[] = [];

const MODALITY = { lines: "text", polish: "text", portrait: "image", keyframe: "image", clip: "video", speech: "speech", music: "music" } as const;

/**
 * What of its configuration a real provider reads for a call: the OpenAI
 * provider its type, the URL and model of the call's modality and the job
 * dialect (video_api, music_api...); the offline renderer none of it. Written
 * from what those providers read, not from the identity the graph hashes.
 */
function configReads(config: Record<string, any>, method: keyof typeof MODALITY): unknown {
  const type = config["recorded_type"];
  if (type === "offline") return { type };
  const m = MODALITY[method];
  return {
    type,
    base_url: config["endpoints"][m] ?? config["base_url"],
    model: config["models"][method === "polish" ? "polish" : m],
    ...(m === "video" ? { video_api: config["video_api"], video_path: config["video_path"], image_input: config["image_input"] } : {}),
    ...(m === "music" ? { music_api: config["music_api"] } : {}),
  };
}

/** A provider that writes down each request (files as their digests) and answers with bytes made from it. */
function recorder(config: Record<string, any>): Provider {
  const record = async (method: keyof typeof MODALITY, request: unknown, call: CallContext): Promise<string> => {
    const text = canonicalJson({ reads: configReads(config, method), method, take: call.take ?? 1, request } as never);
    LOG.push(text);
    await writeFile(call.outFile, text);
    return text;
  };
  const done: Usage = { cost: 0 };
  const written = async (method: "lines" | "polish", req: { cast: readonly { id: string }[]; count?: number; lines?: readonly { speaker: string }[] }, call: CallContext) => {
    const text = await record(method, req, call);
    const tag = (await digestString(text)).slice(0, 8);
    const speakers = req.lines ? req.lines.map((l) => l.speaker) : Array.from({ length: req.count ?? 2 }, (_, i) => req.cast[i % req.cast.length]!.id);
    return { cost: 0, lines: speakers.map((speaker, i) => ({ speaker, text: `${method} ${i + 1} ${tag}` })) };
  };
  return {
    type: "recorder",
    lines: (req, call) => written("lines", req, call),
    polish: (req, call) => written("polish", req, call),
    portrait: async (req, call) => (await record("portrait", req, call), done),
    keyframe: async (req, call) => {
      const references = await Promise.all(req.references.map(async (r) => ({ ...r, file: await fileDigest(r.file) })));
      return (await record("keyframe", { ...req, references }, call), done);
    },
    clip: async (req, call) => (await record("clip", { ...req, keyframe: await fileDigest(req.keyframe) }, call), done),
    speech: async (req, call) => (await record("speech", req, call), done),
    music: async (req, call) => (await record("music", req, call), done),
    estimate: () => 0,
  };
}

// Ops get their providers from the registry by the configuration in their args: the recorder is a type there.
registerProvider("recorder", { remote: true, identity: () => null, create: async (config) => ok(recorder(config as never)) });

async function simulate(variant: Variant): Promise<Simulation> {
  const dir = await mkdtemp(join(tmpdir(), "dramake-keys-"));
  await mkdir(join(dir, "refs"));
  await writeFile(join(dir, "refs/ann.png"), variant.picture);
  await writeFile(join(dir, "drama.yaml"), stringify(variant.yaml));
  const project = await loadProject(dir, { env: ENV });
  assert.ok(project.ok, project.ok ? "" : project.error.map((d) => d.message).join("\n"));
  const real = await resolveBackends(project.value, ENV);
  assert.ok(real.ok);
  // Keys from the real configuration (identity computed already); calls go to a recorder of the same configuration.
  const swap = (b: ModalityProvider): ModalityProvider => {
    const config = { ...b.config, type: "recorder", recorded_type: b.config.type } as unknown as ModalityProvider["config"];
    return { ...b, config, provider: recorder(config as never) };
  };
  const backends: Backends = {
    text: swap(real.value.text),
    image: swap(real.value.image),
    speech: swap(real.value.speech),
    video: swap(real.value.video),
    music: swap(real.value.music),
    ...(real.value.polish ? { polish: swap(real.value.polish) } : {}),
  };
  const steps = dramaSteps(project.value, backends).steps;
  const store = join(dir, "store");
  await mkdir(store);
  const outputs = new Map<string, Record<string, Artifact>>();
  const sim: Simulation = { keys: new Map(), requests: new Map(), inputs: new Map(), steps: new Map(steps.map((s) => [s.id, s])) };
  const put = async (bytes: Buffer): Promise<Artifact> => {
    const digest = await digestBytes(bytes);
    const path = join(store, digest);
    await writeFile(path, bytes);
    return { digest, size: bytes.length, path };
  };
  const pending = [...steps];
  while (pending.length > 0) {
    const i = pending.findIndex((s) => s.inputs.every((id) => outputs.has(id)));
    assert.ok(i >= 0, "the graph is acyclic");
    const step = pending.splice(i, 1)[0]!;
    const inputs = Object.fromEntries(step.inputs.map((id) => [id, Object.fromEntries(Object.entries(outputs.get(id)!).map(([n, a]) => [n, a.digest]))]));
    const files: Record<string, string> = {};
    for (const f of step.files) files[f] = await fileDigest(join(dir, f));
    const key = await stepKey(step, { inputs, files });
    sim.keys.set(step.id, key);
    sim.inputs.set(step.id, canonicalJson({ inputs, files }));
    const paid = typeof step.params === "object" && step.params !== null && "backend" in step.params;
    if (!paid) {
      // A local step: its outputs are a function of its key, whatever names a reader asks for.
      const made: Record<string, Artifact> = {};
      for (const name of ["image", "audio", "video", "json", "timings", "srt", "ass", "loudness", "still", "move"]) made[name] = await put(Buffer.from(`${key}/${name}`));
      outputs.set(step.id, made);
      continue;
    }
    const made: Record<string, Artifact> = {};
    const tmpDir = await mkdtemp(join(dir, "tmp-"));
    const journal = new Map<string, string>();
    const ctx: StepContext = {
      signal: new AbortController().signal,
      inputs: Object.fromEntries(step.inputs.map((id) => [id, outputs.get(id)!])),
      files: Object.fromEntries(step.files.map((f) => [f, { path: join(dir, f), digest: files[f]! }])),
      tmpDir,
      secrets: step.secrets ?? {},
      take: step.take ?? 1,
      output: async (name, source) => (made[name] = await put("file" in source ? await readFile(source.file) : Buffer.from(source.bytes))),
      cost: () => {},
      progress: () => {},
      notice: () => {},
      journal: { get: (n) => journal.get(n), set: async (n, v) => void journal.set(n, v) },
    };
    const before = LOG.length;
    // The step's own code, or its registered op's (as the local executor chooses).
    if (step.run) await step.run(ctx);
    else await opNamed(step.op!)!.run(step.params, ctx, step.args);
    const asked = LOG.slice(before);
    sim.requests.set(step.id, JSON.stringify(asked));
    outputs.set(step.id, made);
  }
  return sim;
}

/** Paid steps whose request changed without a new key (stale), and steps with a new key but the same request and inputs (paid twice). */
function compare(a: Simulation, b: Simulation): { stale: string[]; needless: string[]; changed: string[] } {
  const stale: string[] = [];
  const needless: string[] = [];
  const changed: string[] = [];
  for (const [id, request] of a.requests) {
    const other = b.requests.get(id);
    if (other === undefined) continue;
    const keyChanged = a.keys.get(id) !== b.keys.get(id);
    const requestChanged = request !== other;
    if (keyChanged) changed.push(id);
    if (requestChanged && !keyChanged) stale.push(id);
    // A voice of generated lines holds every speaker's voice: it learns whose line it speaks only at run time (voice.ts).
    const generatedVoice = (a.steps.get(id)!.params as Record<string, unknown>)["line"] !== undefined;
    if (keyChanged && !requestChanged && a.inputs.get(id) === b.inputs.get(id) && !generatedVoice) needless.push(id);
  }
  return { stale, needless, changed };
}

const base = baseProject();
let baseline: Promise<Simulation> | undefined;

test("key completeness: every edit a run can read gives exactly the paid steps whose requests changed new keys", async () => {
  baseline ??= simulate({ yaml: base, picture: PNG_A });
  const before = await baseline;
  assert.ok(before.requests.size >= 12, `paid steps simulated: ${[...before.requests.keys()].join(", ")}`);
  await fc.assert(
    fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 2 }), async (mutations) => {
      const v = { yaml: structuredClone(base), picture: PNG_A };
      for (const m of mutations) m(v);
      const after = await simulate(v);
      const { stale, needless } = compare(before, after);
      assert.deepEqual(stale, [], `request changed, key did not (a stale output would be restored): ${stale.join(", ")}`);
      assert.deepEqual(needless, [], `key changed, request and inputs did not (paid twice): ${needless.join(", ")}`);
    }),
    { numRuns: 60 },
  );
});

test("a renamed or re-described person with a reference picture: the keyframes showing them get new keys, nothing else paid does", async () => {
  baseline ??= simulate({ yaml: base, picture: PNG_A });
  const before = await baseline;
  const renamed = structuredClone(base);
  renamed.cast.ann.name = "Annie";
  // The name is no visual fact: no image request holds it, so no picture is bought again; only the lines that speak of her.
  assert.deepEqual(compare(before, await simulate({ yaml: renamed, picture: PNG_A })).changed, []);
  const redressed = structuredClone(base);
  redressed.cast.ann.look = "young woman, green raincoat";
  const after = await simulate({ yaml: redressed, picture: PNG_A });
  const { stale, changed } = compare(before, after);
  assert.deepEqual(stale, []);
  assert.deepEqual(changed.sort(), ["scene/hello/clip", "scene/hello/keyframe"]);
});

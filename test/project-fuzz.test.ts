/**
 * Property: whatever a valid project file is mutated into (lines deleted,
 * duplicated, swapped, re-indented, values of the wrong type, random text
 * or raw bytes, truncation), loadProject answers with a project or with
 * well-formed diagnostics. No exception escapes, none is caught and
 * relabelled "internal" either, and every answer can be formatted.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { loadProject } from "../src/project/load.js";
import { formatDiagnostics } from "../src/project/diagnostic.js";

const example = fileURLToPath(new URL("../examples/new-year-surprise/drama.yaml", import.meta.url));
const RUNS = Number(process.env.DRAMAKE_FUZZ_RUNS ?? 3000);

const VALUES = ["", "42", "-1", "0", "3.5", "1e400", "true", "null", "~", "[]", "{}", "[a, b]", "{ x: 1 }", '"quoted"', "'open", "*nowhere", "&anchor x", "!!binary aGk=", "!custom x", "${X}", "${", "${A:-b}", "|", ">-", "- item", "? key", "@at", "`tick", "%TAG", "<<: *a", "720x1280", "9:16", "offline", "grandpa", "../../etc/passwd.png", "/abs.png", "\t", "\u0000", "茶馆", "\ud83c\udfac"];

type Mutation = (lines: string[]) => string[];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((i) => (lines: string[]) => lines.filter((_, k) => k !== i % Math.max(1, lines.length))),
  fc.nat().map((i) => (lines: string[]) => {
    const k = i % Math.max(1, lines.length);
    return [...lines.slice(0, k + 1), ...lines.slice(k)];
  }),
  fc.tuple(fc.nat(), fc.nat()).map(([i, j]) => (lines: string[]) => {
    const out = [...lines];
    const a = i % Math.max(1, out.length);
    const b = j % Math.max(1, out.length);
    [out[a], out[b]] = [out[b]!, out[a]!];
    return out;
  }),
  fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...VALUES), fc.string({ maxLength: 12 }))).map(([i, value]) => (lines: string[]) => {
    const k = i % Math.max(1, lines.length);
    const line = lines[k] ?? "";
    const colon = line.indexOf(": ");
    const out = [...lines];
    out[k] = colon === -1 ? `${line} ${value}` : `${line.slice(0, colon + 2)}${value}`;
    return out;
  }),
  fc.tuple(fc.nat(), fc.integer({ min: -4, max: 4 })).map(([i, delta]) => (lines: string[]) => {
    const k = i % Math.max(1, lines.length);
    const out = [...lines];
    out[k] = delta >= 0 ? " ".repeat(delta) + (out[k] ?? "") : (out[k] ?? "").slice(-delta);
    return out;
  }),
  fc.tuple(fc.nat(), fc.nat(), fc.string({ unit: "binary", maxLength: 8 })).map(([i, at, text]) => (lines: string[]) => {
    const k = i % Math.max(1, lines.length);
    const line = lines[k] ?? "";
    const pos = at % (line.length + 1);
    const out = [...lines];
    out[k] = line.slice(0, pos) + text + line.slice(pos);
    return out;
  }),
  fc.nat().map((n) => (lines: string[]) => lines.slice(0, n % Math.max(1, lines.length))),
);

const mutated = fc.record({
  mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
  bytes: fc.option(fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 6 })), { freq: 4 }),
});

test(`no exception escapes loadProject for ${RUNS} random mutations of a valid file`, async () => {
  const base = (await readFile(example, "utf8")).split("\n");
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-fuzz-"));
  const file = path.join(dir, "drama.yaml");
  const outcomes = { valid: 0, invalid: 0 };
  try {
    await fc.assert(
      fc.asyncProperty(mutated, async ({ mutations, bytes }) => {
        const text = mutations.reduce((lines, m) => m(lines), base).join("\n");
        let content: Buffer = Buffer.from(text, "utf8");
        if (bytes) {
          const at = bytes[0] % (content.length + 1);
          content = Buffer.concat([content.subarray(0, at), Buffer.from(bytes[1]), content.subarray(at)]);
        }
        await writeFile(file, content);
        const result = await loadProject(file, { env: {} });
        if (result.ok) {
          outcomes.valid++;
          assert.ok(result.value.scenes.length >= 1);
          assert.equal(result.value.file, file);
          return;
        }
        outcomes.invalid++;
        assert.ok(result.error.length > 0, "an error without diagnostics");
        for (const d of result.error) {
          assert.notEqual(d.code, "internal", `internal error: ${d.message}`);
          assert.ok(d.line >= 1 && d.col >= 1 && d.length >= 1 && d.offset >= 0, JSON.stringify(d));
          assert.ok(typeof d.message === "string" && d.message.length > 0);
        }
        const formatted = formatDiagnostics(result.error, { [file]: content.toString("utf8") }, { color: false });
        assert.ok(formatted.includes(`:${result.error[0]!.line}:${result.error[0]!.col}:`));
      }),
      { numRuns: RUNS },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  // The mutations must exercise both outcomes, or the property proves little.
  assert.ok(outcomes.valid > RUNS / 50, `only ${outcomes.valid} valid outcomes`);
  assert.ok(outcomes.invalid > RUNS / 2, `only ${outcomes.invalid} invalid outcomes`);
  process.stdout.write(`# fuzz outcomes: ${JSON.stringify(outcomes)}\n`);
});

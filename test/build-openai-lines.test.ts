/**
 * Issue 10, defect 10: a beat-only scene of two asks the text model for four
 * lines but accepts any sensible number (2 to 6); a model that writes three
 * or five good lines is not refused. The graph still knows its shape before
 * the lines exist: one voice step per line the range allows, the slots past
 * the lines written cost nothing and send nothing. Through the real CLI and
 * the real SDK against the fake server.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ChatBody, OpenAIServer } from "./fixtures/openai-server/server.js";
import { build, CLOUD, copyFixture, dramake, editProject, events, routes, since, startOpenAIServer } from "./build-openai-helpers.js";

let write = 3;
const schemas: unknown[] = [];

/** The drafts: `write` lines taking turns between the scene's speakers, whatever the schema says. */
function chat(body: ChatBody): string {
  const schema = body.response_format?.json_schema?.schema as { properties: { lines: { items: { properties: { speaker: { enum: string[] } } } } } };
  schemas.push(schema);
  const speakers = schema.properties.lines.items.properties.speaker.enum;
  return JSON.stringify({ lines: Array.from({ length: write }, (_, i) => ({ speaker: speakers[i % speakers.length], text: `Take ${write}, line ${i + 1}.` })) });
}

async function project(): Promise<string> {
  const dir = await copyFixture(CLOUD);
  // Drafts only (no polish pass), and the beat-only scene played by two.
  await editProject(dir, "models: { text: gpt-4.1-mini, polish: gpt-4.1,", "models: { text: gpt-4.1-mini,");
  await editProject(dir, "cast: [bob]\n    action: He watches the rain.", "cast: [ann, bob]\n    action: He watches the rain.");
  return dir;
}

const voices = (n: number) => Array.from({ length: n }, (_, i) => `scene/think/voice/${i + 1}`);
const spoken = (server: OpenAIServer, mark: number) => since(server, mark).filter((e) => e.route === "audio.speech" && /^Take \d, line/.test(e.input ?? ""));

test("three lines, then five, for a scene of two are accepted; the unused voice slots are free and silent; one line is refused as data", async () => {
  const server = await startOpenAIServer({ chat });
  try {
    const dir = await project();

    // Priced before anything runs: a voice step for each of the six lines the range allows.
    const plan = await dramake(server, ["plan", dir, "--json"]);
    assert.equal(plan.code, 0, plan.stderr);
    const planned = events(plan.stdout).filter((e) => e.event === "plan" && String(e.id).startsWith("scene/think/voice/"));
    assert.deepEqual(planned.map((e) => e.id), voices(6));
    assert.ok(planned.every((e) => (e.estimate as number) > 0), "every slot is priced: the estimate is a ceiling");
    assert.equal(server.log.length, 0, "plan sends nothing");

    const first = await build(server, dir);
    assert.equal(first.code, 0, first.stderr);
    const lines = (schemas[0] as { properties: { lines: { minItems: number; maxItems: number } } }).properties.lines;
    assert.deepEqual([lines.minItems, lines.maxItems], [2, 6], "the schema sent to the model allows 2 to 6 lines");
    // Voices run at once (speech concurrency), so the server sees them in any order.
    assert.deepEqual(spoken(server, 0).map((e) => e.input).sort(), ["Take 3, line 1.", "Take 3, line 2.", "Take 3, line 3."]);
    for (const id of voices(6)) assert.equal(first.steps.get(id)?.state, "ran", id);
    for (const id of voices(6).slice(3)) assert.equal(first.steps.get(id)?.cost, 0, `${id} is an empty slot`);
    const srt = await readFile(join(dir, "build/cloud-test.srt"), "utf8");
    assert.equal(srt.match(/Take 3, line \d\./g)?.length, 3, srt);

    write = 5;
    let mark = server.log.length;
    const five = await build(server, dir, "--force", "scene/think/lines");
    assert.equal(five.code, 0, five.stderr);
    assert.equal(spoken(server, mark).length, 5, "five lines, five voices");
    assert.equal((await readFile(join(dir, "build/cloud-test.srt"), "utf8")).match(/Take 5, line \d\./g)?.length, 5);

    write = 1;
    mark = server.log.length;
    const one = await build(server, dir, "--force", "scene/think/lines");
    assert.equal(one.code, 1);
    assert.deepEqual(routes(since(server, mark)), { chat: 2 }, "one repair turn, then the step fails; nothing voiced");
    const failed = events(one.stdout).find((e) => e.event === "step" && e.id === "scene/think/lines")!;
    assert.equal(failed.state, "failed");
    assert.match(String(failed.reason), /chat\.completions/);
    assert.deepEqual(
      { kind: (failed.failure as { kind: string }).kind, endpoint: (failed.failure as { endpoint: string }).endpoint },
      { kind: "invalid-output", endpoint: "chat.completions" },
    );
  } finally {
    await server.close();
  }
});

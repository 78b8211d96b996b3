/**
 * Takes on the served storyboard (issue 13), in a real headless Chromium
 * against the real `dramake watch --serve`: the card shows a keyframe's takes
 * side by side (the one not chosen served from the cache), the cast sheet its
 * people; "use this take" edits only the take line of drama.yaml, the watch
 * rebuilds and the page reloads with that take chosen. Posts that are not
 * the page's own (no token, a wrong one, another origin) and posts naming no
 * step of the project are refused with the file untouched. Offline, at the
 * tiny fixture's 180x320.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { copyFixture, runCli } from "./build-helpers.js";
import { WatchProcess } from "./watch-helpers.js";

const CHROMIUM = "/usr/bin/chromium";
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium); browser tests skipped`;
const WAIT = { timeout: 60_000 };

test("served storyboard: takes side by side, use this take edits the take line, the page reloads with it chosen; foreign posts are refused", { skip }, async (t) => {
  const dir = await copyFixture("builds/tiny");
  assert.equal((await runCli(["build", dir, "-q"])).code, 0);
  const retake = await runCli(["retake", "scene/bye/keyframe", dir, "-q"]);
  assert.equal(retake.code, 0, retake.stderr);
  const yaml = join(dir, "drama.yaml");
  const withTake2 = await readFile(yaml, "utf8");
  assert.match(withTake2, /\n {6}keyframe: 2\n/);
  const lock = JSON.parse(await readFile(join(dir, "drama.lock"), "utf8")) as { steps: Record<string, { key: string }> };

  const w = new WatchProcess([dir, "--serve", "--port", "0"]);
  t.after(() => w.stop());
  const url = (await w.watchEvent("serving", 0)).e.url as string;
  await w.watchEvent("idle", 0);

  const { chromium } = await import("playwright-core");
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url);

  const strip = page.locator('#scene-bye section.takes[data-step="scene/bye/keyframe"]');
  await strip.waitFor(WAIT);
  assert.deepEqual(await strip.locator("li.take").evaluateAll((els) => els.map((e) => e.getAttribute("data-take"))), ["1", "2"]);
  assert.equal(await strip.locator("li.take.chosen").getAttribute("data-take"), "2");
  assert.match(await strip.locator("li.take.chosen .take-facts").innerText(), /take 2 · \$0\.00 · chosen/);
  // Take 1 is not in build/: its picture comes from the cache, through the server, decoded by the browser.
  const other = strip.locator('li.take[data-take="1"] img');
  await page.waitForFunction((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0, await other.elementHandle(), WAIT);
  assert.match(String(await other.getAttribute("src")), /^\/__dramake\/take\/[0-9a-f]{16}\/image\.png$/);
  assert.match(String(await strip.locator(".prompt").textContent()), /setting\s*a station\s*action\s*She leaves\./);
  // The cast sheet: a portrait, a name and a look per person.
  assert.deepEqual(await page.locator(".cast-sheet .person .name").allTextContents(), ["Ann", "Bob"]);
  assert.match(await page.locator("#cast-ann .look").innerText(), /young woman, red coat/);
  assert.equal(await page.locator("#cast-ann img.portrait").evaluate((i) => (i as HTMLImageElement).naturalWidth > 0), true);
  // Planned against built length.
  assert.match(await page.locator("#scene-bye .facts").innerText(), /^2 s as planned · /);

  await t.test("opened from disk: the chosen take and the others' numbers, no buttons, nothing fetched from the server", async () => {
    const disk = await browser.newPage();
    t.after(() => disk.close());
    const requests: string[] = [];
    disk.on("request", (r) => requests.push(r.url()));
    await disk.goto(pathToFileURL(join(dir, "build/storyboard.html")).href);
    const local = disk.locator('#scene-bye section.takes[data-step="scene/bye/keyframe"]');
    assert.deepEqual(await local.locator(".take-facts").allInnerTexts(), ["take 1 · $0.00", "take 2 · $0.00 · chosen"]);
    assert.equal(await local.locator('li.take[data-take="1"] img').getAttribute("src"), null);
    assert.equal(await disk.locator("button[data-take-action]:visible").count(), 0);
    assert.equal(await disk.locator('meta[name="dramake-token"]').count(), 0, "no token on disk");
    assert.deepEqual(requests.filter((u) => !u.startsWith("file:")), []);
  });

  await t.test("refused: no token, a wrong token, another origin, a step the project does not have; the file untouched", async () => {
    const token = await page.locator('meta[name="dramake-token"]').getAttribute("content");
    assert.ok(token && token.length >= 32);
    const origin = new URL(url).origin;
    const post = (path: string, body: unknown, headers: Record<string, string>) =>
      fetch(new URL(path, url), { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
    const cases: { why: string; path?: string; body?: unknown; headers: Record<string, string>; status: number; error: string }[] = [
      { why: "no token", headers: { origin }, status: 403, error: "bad-token" },
      { why: "a wrong token", headers: { origin, "x-dramake-token": `${token!.slice(0, -1)}x` }, status: 403, error: "bad-token" },
      { why: "another site", headers: { origin: "http://evil.example", "x-dramake-token": token! }, status: 403, error: "cross-origin" },
      { why: "no origin", headers: { "x-dramake-token": token! }, status: 403, error: "cross-origin" },
      { why: "an unknown step", body: { step: "scene/nowhere/keyframe", take: 1 }, headers: { origin, "x-dramake-token": token! }, status: 404, error: "unknown-step" },
      { why: "a path, not a step", body: { step: "../../etc/passwd", take: 1 }, headers: { origin, "x-dramake-token": token! }, status: 404, error: "unknown-step" },
      { why: "a step without takes", body: { step: "scene/bye/cut", take: 1 }, headers: { origin, "x-dramake-token": token! }, status: 404, error: "unknown-step" },
      { why: "a take never made", body: { step: "scene/bye/keyframe", take: 7 }, headers: { origin, "x-dramake-token": token! }, status: 404, error: "unknown-take" },
      { why: "no take number", body: { step: "scene/bye/keyframe" }, headers: { origin, "x-dramake-token": token! }, status: 400, error: "bad-take" },
    ];
    for (const c of cases) {
      const r = await post(c.path ?? "/__dramake/takes/use", c.body ?? { step: "scene/bye/keyframe", take: 1 }, c.headers);
      const answer = (await r.json()) as { ok: boolean; error: string; message: string };
      assert.equal(r.status, c.status, `${c.why}: ${answer.message}`);
      assert.equal(answer.ok, false);
      assert.equal(answer.error, c.error, c.why);
      assert.equal(await readFile(yaml, "utf8"), withTake2, `${c.why}: drama.yaml untouched`);
    }
    const form = await fetch(new URL("/__dramake/takes/use", url), { method: "POST", headers: { origin, "x-dramake-token": token!, "content-type": "application/x-www-form-urlencoded" }, body: "step=scene/bye/keyframe&take=1" });
    assert.equal(form.status, 415);
    // The page's own cache route takes keys and output names by shape only: nothing else resolves.
    for (const path of ["/__dramake/take/../../drama.yaml", "/__dramake/take/zzzz/image.png", `/__dramake/take/${lock.steps["scene/bye/keyframe"]!.key}/../image.png`]) {
      assert.equal((await fetch(new URL(path, url))).status, 404, path);
    }
    assert.equal(await readFile(yaml, "utf8"), withTake2);
  });

  await t.test("use this take: only the take line changes, the watch rebuilds, the page reloads with take 1 chosen", async () => {
    await page.evaluate(() => ((window as unknown as { before: boolean }).before = true));
    const mark = w.mark;
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/__dramake/takes/use")),
      strip.locator('li.take[data-take="1"] button.use-take').click(),
    ]);
    // The body only on failure: the rebuild's reload can navigate the page away before a read of it.
    if (response.status() !== 200) assert.fail(`use answered ${response.status()}: ${await response.text().catch((e: Error) => e.message)}`);
    assert.equal(await readFile(yaml, "utf8"), withTake2.replace("\n      keyframe: 2\n", "\n      keyframe: 1\n"), "only the take line changed");
    await w.watchEvent("idle", mark);
    await page.locator('#scene-bye section.takes[data-step="scene/bye/keyframe"] li.take.chosen[data-take="1"]').waitFor(WAIT);
    assert.equal(await page.evaluate(() => (window as unknown as { before?: boolean }).before), undefined, "a reloaded page");
    assert.equal(await page.locator('#scene-bye section.takes[data-step="scene/bye/keyframe"] li.take[data-take="2"] button.use-take').isVisible(), true);
    const rebuilt = JSON.parse(await readFile(join(dir, "drama.lock"), "utf8")) as { steps: Record<string, { key: string; take?: number }> };
    assert.equal(rebuilt.steps["scene/bye/keyframe"]!.take, undefined, "take 1 locks as before takes existed");
  });

  await t.test("new take: take 3 is made as dramake retake makes it, written in place, and shown chosen beside the others", async () => {
    const before = await readFile(yaml, "utf8");
    const mark = w.mark;
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/__dramake/takes/new")),
      page.locator('#scene-bye section.takes[data-step="scene/bye/keyframe"] button.new-take').click(),
    ]);
    const answer = (await response.json()) as { take: number; building: boolean; message: string };
    assert.equal(response.status(), 200, answer.message);
    assert.equal(answer.take, 3, "one past every take made");
    assert.equal(answer.building, false, "under watch, the watch builds");
    assert.equal(await readFile(yaml, "utf8"), before.replace("\n      keyframe: 1\n", "\n      keyframe: 3\n"));
    await w.watchEvent("idle", mark);
    const strip3 = page.locator('#scene-bye section.takes[data-step="scene/bye/keyframe"]');
    await strip3.locator('li.take.chosen[data-take="3"]').waitFor(WAIT);
    assert.deepEqual(await strip3.locator("li.take").evaluateAll((els) => els.map((e) => e.getAttribute("data-take"))), ["1", "2", "3"]);
  });
});

/**
 * `dramake watch --serve` with the storyboard open in a real headless
 * Chromium: one card per scene, a save reloads the page with the new line, a
 * failed step shows its reason. Set DRAMAKE_SCREENSHOTS=<dir> to keep phone
 * and desktop screenshots.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { copyFixture, editProject } from "./build-helpers.js";
import { WatchProcess } from "./watch-helpers.js";

const CHROMIUM = "/usr/bin/chromium";
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium); browser tests skipped`;
const SCREENSHOTS = process.env.DRAMAKE_SCREENSHOTS;
const WAIT = { timeout: 60_000 };

test("watch --serve: the open storyboard reloads after every save and shows what the build did", { skip }, async (t) => {
  const dir = await copyFixture("builds/tiny");
  const w = new WatchProcess([dir, "--serve", "--port", "0", "--keep-going"]);
  t.after(() => w.stop());
  const serving = await w.watchEvent("serving", 0);
  const url = serving.e.url as string;
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);

  const { chromium } = await import("playwright-core");
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });

  // Opened while the first build may still run: the waiting page turns into the storyboard by itself.
  await page.goto(url);
  await page.locator("article.card").first().waitFor(WAIT);
  await w.watchEvent("idle", 0);
  assert.equal(await page.locator("article.card").count(), 3, "one card per scene");
  assert.deepEqual(await page.locator("article.card h2").allTextContents(), ["hello", "think", "bye"]);
  assert.equal(await page.locator("section.final-cut video").count(), 1);
  if (SCREENSHOTS) {
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, "watch-tiny-phone.png"), fullPage: true });
  }

  await t.test("a saved line: the page reloads by itself and shows it", async () => {
    await page.evaluate(() => ((window as unknown as { before: boolean }).before = true));
    await editProject(dir, "- bob: Hello.", "- bob: Hello from the page test.");
    await page.locator("#scene-hello .lines .text", { hasText: "Hello from the page test." }).waitFor(WAIT);
    assert.equal(await page.evaluate(() => (window as unknown as { before?: boolean }).before), undefined, "a new document, not a patched one");
    assert.equal(await page.locator("#scene-hello .badge").innerText(), "BUILT");
  });

  await t.test("a failed step: its card says which step and why", async () => {
    // An honest failure: Ann's reference "picture" is not an image, so her portrait (and every scene she is in) fails.
    await mkdir(join(dir, "refs"));
    await writeFile(join(dir, "refs/ann.png"), "not an image\n");
    await editProject(dir, "look: young woman, red coat", "look: young woman, red coat\n    reference: refs/ann.png");
    await page.locator("article.card.failed").first().waitFor(WAIT);
    assert.deepEqual(await page.locator("article.card.failed h2").allTextContents(), ["hello", "bye"]);
    const failure = page.locator("#scene-hello .failure");
    assert.match(await failure.innerText(), /cast\/ann\/portrait[^]*refs\/ann\.png is not a picture/);
    assert.equal(await page.locator("#scene-think").getAttribute("data-state"), "cached", "the scene without Ann is fine");
    assert.equal(await page.locator("section.final-cut video").count(), 0, "no final cut while scenes fail");
    if (SCREENSHOTS) {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.screenshot({ path: join(SCREENSHOTS, "watch-tiny-failed-desktop.png"), fullPage: true });
    }
  });
});

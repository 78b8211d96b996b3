/**
 * The storyboard page in a real headless Chromium, served by the real preview
 * server. One browser for the whole file (two cores are shared by everyone).
 * Set DRAMAKE_SCREENSHOTS=<dir> to also save phone and desktop screenshots.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { writeStoryboard, type StoryboardModel } from "../src/report/storyboard/index.js";
import { startPreviewServer, type PreviewServer } from "../src/report/preview/index.js";
import { buildDirFor, chineseModel, englishModel } from "./storyboard-fixtures.js";

const CHROMIUM = "/usr/bin/chromium";
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium); browser tests skipped`;
const SCREENSHOTS = process.env.DRAMAKE_SCREENSHOTS;
/** Bounded waits: generous for two shared cores, still short enough to fail fast. */
const WAIT = { timeout: 15_000 };

const INJECTION = "<script>window.__injected = 1</script><img src=x onerror=\"window.__injected = 2\">";

const withInjection: StoryboardModel = {
  ...englishModel,
  scenes: englishModel.scenes.map((s) =>
    s.id === "decision" ? { ...s, lines: [...s.lines, { speaker: "Narrator", text: INJECTION }] } : s,
  ),
};

/** A build dir with real media and its storyboard, served on a free port. */
async function serve(model: StoryboardModel): Promise<{ buildDir: string; server: PreviewServer }> {
  const buildDir = await buildDirFor(model);
  assert.ok((await writeStoryboard(buildDir, model)).ok);
  const started = await startPreviewServer({ buildDir, port: 0, host: "127.0.0.1" });
  assert.ok(started.ok, "preview server starts");
  return { buildDir, server: started.value };
}

describe("storyboard page in headless Chromium", { skip }, () => {
  let browser: Browser;
  let site: { buildDir: string; server: PreviewServer };
  const pages: Page[] = [];
  const open = async (viewport = { width: 390, height: 844 }): Promise<Page> => {
    const page = await browser.newPage({ viewport });
    pages.push(page);
    return page;
  };

  before(async () => {
    const { chromium } = await import("playwright-core");
    [browser, site] = await Promise.all([
      chromium.launch({
        executablePath: CHROMIUM,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      }),
      serve(withInjection),
    ]);
  });
  after(async () => {
    await Promise.all(pages.map((p) => p.close()));
    await browser?.close();
    await site?.server.close();
  });

  test("one card per scene, the failed one with its reason, injected markup shown as text", async () => {
    const page = await open();
    await page.goto(site.server.url);
    assert.equal(await page.locator("article.card").count(), withInjection.scenes.length);
    assert.deepEqual(
      await page.locator("article.card h2").allTextContents(),
      withInjection.scenes.map((s) => s.id),
    );
    const failed = page.locator("article.card.failed");
    assert.equal(await failed.count(), 1);
    assert.match(await failed.innerText(), /429 rate limited, gave up after 5 retries/);
    assert.match(await failed.locator(".badge").innerText(), /failed/i);
    const narrator = page.locator("#scene-decision li", { hasText: "Narrator" }).locator(".text");
    assert.equal(await narrator.textContent(), INJECTION);
    assert.equal(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected), undefined);
  });

  test("a clip loads its metadata through the server, with ranged (206) responses", async () => {
    const page = await open();
    const ranged: number[] = [];
    page.on("response", (r) => {
      if (r.url().endsWith("/scenes/the-call/clip.mp4")) ranged.push(r.status());
    });
    await page.goto(site.server.url);
    const video = page.locator("#scene-the-call video");
    await video.evaluate((v: HTMLVideoElement) =>
      v.readyState >= 1 ? undefined : new Promise((ready) => v.addEventListener("loadedmetadata", ready, { once: true })),
    );
    const { readyState, duration, error } = await video.evaluate((v: HTMLVideoElement) => ({
      readyState: v.readyState,
      duration: v.duration,
      error: v.error?.message ?? null,
    }));
    assert.equal(error, null);
    assert.ok(readyState >= 1, `readyState ${readyState}`);
    assert.ok(Math.abs(duration - 1) < 0.1, `duration ${duration}`);
    assert.ok(ranged.includes(206), `responses for the clip: ${ranged.join(", ")}`);
  });

  test("after a rebuild writes a new line and the server notifies, the page reloads itself and shows it", async () => {
    const page = await open();
    await page.goto(site.server.url);
    await page.evaluate(() => ((window as unknown as { __beforeReload: boolean }).__beforeReload = true));
    const edited: StoryboardModel = {
      ...withInjection,
      scenes: withInjection.scenes.map((s) =>
        s.id === "reunion" ? { ...s, lines: [...s.lines, { speaker: "Wei", text: "Let's go home together." }] } : s,
      ),
    };
    assert.ok((await writeStoryboard(site.buildDir, edited)).ok);
    site.server.notifyReload();
    await page.locator("#scene-reunion", { hasText: "Let's go home together." }).waitFor(WAIT);
    assert.equal(await page.evaluate(() => (window as unknown as { __beforeReload?: boolean }).__beforeReload), undefined);
    assert.ok((await writeStoryboard(site.buildDir, withInjection)).ok);
  });

  test("a page that missed the reload (server restarted meanwhile) catches up when it reconnects", async () => {
    const page = await open();
    await page.goto(site.server.url);
    const port = site.server.port;
    await site.server.close();
    // Rebuilt while no server was up: no reload event can reach the page.
    const rebuilt: StoryboardModel = { ...withInjection, title: "Grandpa's New Year Surprise (rebuilt)" };
    assert.ok((await writeStoryboard(site.buildDir, rebuilt)).ok);
    const restarted = await startPreviewServer({ buildDir: site.buildDir, port, host: "127.0.0.1" });
    assert.ok(restarted.ok, "the same port is free again");
    site = { ...site, server: restarted.value };
    await page.locator("h1", { hasText: "(rebuilt)" }).waitFor(WAIT);
    assert.ok((await writeStoryboard(site.buildDir, withInjection)).ok);
  });

  test("opened from file:// the page makes no live-reload request and logs nothing", async () => {
    const page = await open();
    const console: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => console.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => console.push(`pageerror: ${e.message}`));
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(join(site.buildDir, "storyboard.html")).href, { waitUntil: "load" });
    assert.equal(await page.locator("article.card").count(), withInjection.scenes.length);
    assert.deepEqual(console, []);
    assert.deepEqual(requests.filter((u) => u.includes("__dramake")), []);
  });

  for (const [name, model] of [["english", englishModel], ["chinese", chineseModel]] as const) {
    test(`${name}: one column on a 390 px phone without sideways scrolling, several columns at 1280 px`, async () => {
      const own = name === "english" ? site : await serve(model);
      if (name === "english") assert.ok((await writeStoryboard(site.buildDir, englishModel)).ok);
      try {
        for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 800 }]) {
          const page = await open(viewport);
          await page.goto(own.server.url);
          // Screenshots and layout must wait for the keyframes (posters) to decode.
          await page.waitForFunction(() => [...document.images].every((i) => i.complete), undefined, WAIT);
          const layout = await page.evaluate(() => ({
            scrollWidth: document.documentElement.scrollWidth,
            lefts: [...document.querySelectorAll("article.card")].map((c) => Math.round(c.getBoundingClientRect().left)),
            lang: document.documentElement.lang,
          }));
          assert.equal(layout.lang, model.language);
          assert.ok(layout.scrollWidth <= viewport.width, `page is ${layout.scrollWidth} px wide at ${viewport.width}`);
          const columns = new Set(layout.lefts).size;
          if (viewport.width === 390) assert.equal(columns, 1);
          else assert.ok(columns >= 3, `${columns} columns at 1280 px`);
          if (SCREENSHOTS !== undefined) {
            await mkdir(SCREENSHOTS, { recursive: true });
            await page.screenshot({ path: join(SCREENSHOTS, `storyboard-${name}-${viewport.width}.png`), fullPage: true });
          }
        }
      } finally {
        if (own !== site) await own.server.close();
      }
    });
  }
});

/**
 * The storyboard page: one self-contained HTML document (inline CSS, one tiny
 * inline script, no fonts/scripts/CDNs) rendered from a StoryboardModel.
 * Pure and deterministic: the same model gives the same bytes, so a no-op
 * build leaves build/storyboard.html untouched and open pages do not reload.
 */
import type {
  StoryboardCastMember,
  StoryboardEpisode,
  StoryboardFinal,
  StoryboardIndex,
  StoryboardModel,
  StoryboardScene,
  StoryboardShot,
  StoryboardTake,
  StoryboardTakes,
  StoryboardTotals,
  SceneState,
} from "./model.js";
import { buildHref, escapeHtml } from "./html.js";
import { LIVE_RELOAD_SCRIPT, VERSION_META, pageVersion } from "./live-reload.js";
import { STORYBOARD_CSS } from "./styles.js";
import { TAKES_SCRIPT } from "./served.js";

/** What a card's media area says when there is no keyframe to show yet. */
const EMPTY_MEDIA: Readonly<Record<SceneState, string>> = {
  cached: "no keyframe",
  built: "no keyframe",
  failed: "no keyframe (failed)",
  waiting: "waiting for keyframe",
  running: "rendering…",
};

export function renderStoryboard(model: StoryboardModel): string {
  const firstKeyframe = model.scenes.find((s) => s.keyframe !== undefined)?.keyframe;
  return renderPage({
    lang: model.language,
    title: model.title,
    above: model.index ? `<p class="sub"><a href="${buildHref(model.index.href)}">← ${escapeHtml(model.index.title)}</a></p>` : "",
    sub: `Storyboard · ${plural(model.totals.scenes, "scene")} · ${clock(model.final?.durationSeconds ?? totalSeconds(model.scenes))}`,
    totals: model.totals,
    lead: renderCast(model.cast ?? []),
    mainClass: "grid",
    // The final cut leads the grid rather than sitting beside the title: a 9:16
    // video next to two lines of text leaves a desktop header mostly empty.
    main: [renderFinal(model.final, firstKeyframe), ...model.scenes.map(renderScene)],
    builtAt: model.builtAt,
  });
}

/** A series' index: one row per episode (poster, length, state, cost), each linking to the episode's page. */
export function renderStoryboardIndex(index: StoryboardIndex): string {
  return renderPage({
    lang: index.language,
    title: index.title,
    above: "",
    sub: `Series · ${plural(index.episodes.length, "episode")} · ${clock(index.episodes.reduce((sum, e) => sum + e.seconds, 0))}`,
    totals: index.totals,
    lead: "",
    mainClass: "episodes",
    main: index.episodes.map(renderEpisodeRow),
    builtAt: index.builtAt,
  });
}

/** The frame every page shares: header (title, one line, totals), the main part, the footer. */
function renderPage(page: {
  lang: string;
  title: string;
  above: string;
  sub: string;
  totals: StoryboardTotals;
  /** Between the header and the main part (the cast sheet). */
  lead: string;
  mainClass: string;
  main: readonly string[];
  builtAt: string | undefined;
}): string {
  const body = [
    `<div class="wrap">`,
    `<header class="top">`,
    ...(page.above ? [page.above] : []),
    `<h1>${escapeHtml(page.title)}</h1>`,
    `<p class="sub">${page.sub}</p>`,
    renderTotals(page.totals),
    `</header>`,
    ...(page.lead ? [page.lead] : []),
    `<main class="${page.mainClass}">`,
    ...page.main,
    `</main>`,
    `<footer>${page.builtAt !== undefined ? `Built ${escapeHtml(page.builtAt)} by dramake` : "Built by dramake"}</footer>`,
    `</div>`,
  ].join("\n");
  return documentShell({ lang: page.lang, title: `${page.title} · storyboard`, body });
}

function renderEpisodeRow(e: StoryboardEpisode): string {
  const page = buildHref(e.page);
  const poster = e.poster !== undefined ? `<img src="${buildHref(e.poster)}" alt="Episode ${e.number} poster">` : `<div class="media empty">${EMPTY_MEDIA[e.state]}</div>`;
  return [
    `<article class="card episode ${e.state}" id="episode-${escapeHtml(e.id)}" data-state="${e.state}">`,
    `<a class="poster" href="${page}">${poster}</a>`,
    `<div class="body">`,
    `<div class="head"><span class="num">${e.number}</span><h2><a href="${page}">${escapeHtml(e.title)}</a></h2>`,
    `<span class="badge ${e.state}">${e.state}</span></div>`,
    `<p class="facts">${clock(e.seconds)} · ${escapeHtml(usd(e.cost))}${e.video !== undefined ? ` · <a href="${buildHref(e.video)}" download>video</a>` : ""}</p>`,
    `</div>`,
    `</article>`,
  ].join("");
}

/**
 * Shown by the preview server before the first build has written a storyboard
 * (e.g. `dramake watch --serve` while the first build runs); it reloads itself
 * like the real page once the build notifies.
 */
export function renderWaitingPage(message: string): string {
  const body = `<div class="wrap"><h1>dramake</h1><p class="sub">${escapeHtml(message)}</p></div>`;
  return documentShell({ lang: "en", title: "dramake storyboard", body });
}

function documentShell(page: { lang: string; title: string; body: string }): string {
  const assemble = (versionMeta: string): string =>
    [
      `<!doctype html>`,
      `<html lang="${escapeHtml(page.lang || "und")}">`,
      `<head>`,
      `<meta charset="utf-8">`,
      `<meta name="viewport" content="width=device-width, initial-scale=1">`,
      `<meta name="color-scheme" content="light dark">`,
      versionMeta,
      `<title>${escapeHtml(page.title)}</title>`,
      `<style>${STORYBOARD_CSS}</style>`,
      `</head>`,
      `<body>`,
      page.body,
      `<script>${LIVE_RELOAD_SCRIPT}
${TAKES_SCRIPT}</script>`,
      `</body>`,
      `</html>`,
      ``,
    ].join("\n");
  // The version is a hash of the page without it, so it is stable for equal pages.
  return assemble(`<meta name="${VERSION_META}" content="${pageVersion(assemble(""))}">`);
}

function renderTotals(t: StoryboardTotals): string {
  const chip = (value: string, label: string, bad = false): string =>
    `<li${bad ? ` class="bad"` : ""}><b>${escapeHtml(value)}</b> ${label}</li>`;
  return [
    `<ul class="totals" aria-label="Build totals">`,
    chip(String(t.steps), t.steps === 1 ? "step" : "steps"),
    chip(String(t.ran), "ran"),
    chip(String(t.cached), "cached"),
    chip(String(t.failed), "failed", t.failed > 0),
    chip(usd(t.costSpent), "spent"),
    chip(usd(t.costEstimated), "estimated"),
    chip(usd(t.saved), "saved"),
    `</ul>`,
  ].join("");
}

function renderFinal(final: StoryboardFinal | undefined, poster: string | undefined): string {
  if (final === undefined) {
    return [
      `<section class="card final-cut" aria-label="Final cut">`,
      `<div class="media empty">not built yet</div>`,
      `<div class="body"><div class="head"><h2>Final cut</h2></div>`,
      `<p class="facts">The final video appears here once every scene is built.</p></div>`,
      `</section>`,
    ].join("");
  }
  const href = buildHref(final.href);
  const duration = final.durationSeconds !== undefined ? `${clock(final.durationSeconds)} · ` : "";
  // The cover (issue 32) is the poster when there is one, and a link of its own.
  if (final.cover !== undefined) poster = final.cover;
  const cover = final.cover !== undefined ? ` · <a href="${buildHref(final.cover)}">cover</a>` : "";
  return [
    `<section class="card final-cut" aria-label="Final cut">`,
    `<div class="media"><video controls playsinline preload="metadata" src="${href}"${poster !== undefined ? ` poster="${buildHref(poster)}"` : ""}></video></div>`,
    `<div class="body"><div class="head"><h2>Final cut</h2></div>`,
    `<p class="facts">${duration}<a href="${href}" download>download</a>${cover}</p></div>`,
    `</section>`,
  ].join("");
}

function renderScene(scene: StoryboardScene): string {
  const label = `Scene ${scene.index}`;
  const shots = scene.shots !== undefined && scene.shots.length > 0 ? scene.shots : undefined;
  return [
    `<article class="card ${scene.state}${shots ? " multi-shot" : ""}" id="scene-${escapeHtml(scene.id)}" data-state="${scene.state}">`,
    renderMedia(scene, label),
    `<div class="body">`,
    `<div class="head"><span class="num">${scene.index}</span><h2>${escapeHtml(scene.id)}</h2>`,
    `<span class="badge ${scene.state}">${scene.state}</span></div>`,
    `<p class="facts">${lengthText(scene)} · ${escapeHtml(usd(scene.cost))}</p>`,
    scene.outline !== undefined ? `<p class="outline">${escapeHtml(scene.outline)}</p>` : "",
    scene.dialogue !== undefined ? `<p class="outline dialogue">${escapeHtml(scene.dialogue)}</p>` : "",
    describe("Setting", scene.setting),
    describe("Action", scene.action),
    describe("Beat", scene.beat),
    scene.failure !== undefined
      ? `<p class="failure" role="alert"><code>${escapeHtml(scene.failure.step)}</code>${escapeHtml(scene.failure.reason)}</p>`
      : "",
    // A multi-shot scene's lines, pictures and takes are its shots': the strip shows each where it is.
    shots ? renderShotStrip(scene, shots) : renderLines(scene),
    !shots && scene.keyframeTakes ? renderTakes("Keyframe", scene.keyframeTakes, scene.keyframe) : "",
    !shots && scene.clipTakes ? renderTakes("Clip", scene.clipTakes, scene.keyframe) : "",
    `</div>`,
    `</article>`,
  ].join("");
}

/** A multi-shot scene's shots side by side: each one's frame, size, planned and built length, lines, takes and cost. */
function renderShotStrip(scene: StoryboardScene, shots: readonly StoryboardShot[]): string {
  const cards = shots.map((shot) => {
    const label = `Scene ${scene.index} shot ${shot.id}`;
    const round = (n: number) => Math.round(n * 10) / 10;
    const built = shot.builtSeconds !== undefined ? ` · ${round(shot.builtSeconds)} s <span class="k">built</span>` : "";
    return [
      `<li class="shot ${shot.state}" id="scene-${escapeHtml(scene.id)}-shot-${escapeHtml(shot.id)}" data-shot="${escapeHtml(shot.id)}" data-state="${shot.state}">`,
      renderMedia({ ...shot, state: shot.state }, label),
      `<div class="body">`,
      `<div class="head"><span class="num">${shot.index}</span><h3>${escapeHtml(shot.size)}</h3>`,
      shot.id !== String(shot.index) ? `<span class="shot-id">${escapeHtml(shot.id)}</span>` : "",
      `<span class="badge ${shot.state}">${shot.state}</span></div>`,
      `<p class="facts">${shot.seconds} s <span class="k">planned</span>${built} · ${escapeHtml(usd(shot.cost))}</p>`,
      describe("On", shot.on.join(", ")),
      shot.index > 1 && shot.transition !== "cut" ? describe("Into it", shot.transition) : "",
      shot.lines.length > 0 ? renderLines({ lines: shot.lines }) : "",
      shot.keyframeTakes ? renderTakes("Keyframe", shot.keyframeTakes, shot.keyframe) : "",
      shot.clipTakes ? renderTakes("Clip", shot.clipTakes, shot.keyframe) : "",
      `</div>`,
      `</li>`,
    ].join("");
  });
  return `<ol class="shot-strip" aria-label="Shots of scene ${scene.index}">${cards.join("")}</ol>`;
}

/** The cast sheet: each person's portrait, name and look, and the portrait's takes. */
function renderCast(cast: readonly StoryboardCastMember[]): string {
  if (cast.length === 0) return "";
  const people = cast.map((c) =>
    [
      `<li class="person" id="cast-${escapeHtml(c.id)}">`,
      c.portrait !== undefined ? `<img class="portrait" src="${buildHref(c.portrait)}" alt="${escapeHtml(c.name)}">` : `<div class="portrait empty">no portrait yet</div>`,
      `<div class="who"><h3 class="name">${escapeHtml(c.name)}</h3><p class="look">${escapeHtml(c.look)}</p>`,
      c.takes && (c.takes.takeable || c.takes.takes.length > 1) ? renderTakes("Portrait", c.takes, undefined) : "",
      `</div></li>`,
    ].join(""),
  );
  return `<section class="cast-sheet" aria-label="Cast"><h2>Cast</h2><ul class="people">${people.join("")}</ul></section>`;
}

/**
 * A step's takes side by side: each one's thumbnail, number and cost, the
 * chosen one marked. A take not chosen has its thumbnail only when served
 * (data-take-src; the script sets src), and the buttons are hidden until then.
 */
function renderTakes(label: string, t: StoryboardTakes, keyframe: string | undefined): string {
  const step = escapeHtml(t.step);
  // One take is the picture the card already shows: its number and cost say enough.
  const only = t.takes.length === 1 ? t.takes[0]! : undefined;
  const tiles = only ? "" : `<ol class="take-row">${t.takes.map((take) => renderTake(label, t, take, keyframe)).join("")}</ol>`;
  const count = only ? `take ${only.take} · ${escapeHtml(usd(only.cost))}` : plural(t.takes.length, "take");
  return [
    `<section class="takes" aria-label="${label} takes" data-step="${step}">`,
    `<h3>${label} <span class="k">· ${count}</span></h3>`,
    tiles,
    t.takeable ? `<button type="button" class="new-take" data-take-action="new" data-step="${step}" hidden>${newTakeLabel(t)}</button>` : "",
    `<p class="take-status" role="status"></p>`,
    renderPrompt(t),
    `</section>`,
  ].join("");
}

/** "new take · about $0.40": what the chosen take cost, so the price is on the button (the click asks with the full estimate). */
function newTakeLabel(t: StoryboardTakes): string {
  const cost = (t.takes.find((take) => take.chosen) ?? t.takes.at(-1))?.cost ?? 0;
  return cost > 0 ? `new take · about ${escapeHtml(usd(cost))}` : "new take";
}

function renderTake(label: string, t: StoryboardTakes, take: StoryboardTake, keyframe: string | undefined): string {
  const name = `${label} take ${take.take}${take.chosen ? " (chosen)" : ""}`;
  // The chosen take is in build/; another is served from the cache, so only its served page has its picture.
  const source = take.href !== undefined ? `src="${buildHref(take.href)}"` : take.cached !== undefined ? `data-take-src="${escapeHtml(take.cached)}"` : "";
  const poster = keyframe !== undefined ? ` poster="${buildHref(keyframe)}"` : "";
  const thumb =
    t.media === "video"
      ? `<video muted playsinline preload="metadata" controls${poster} ${source} aria-label="${escapeHtml(name)}"></video>`
      : `<img ${t.media === "move" && keyframe !== undefined ? `src="${buildHref(keyframe)}"` : source} alt="${escapeHtml(name)}">`;
  return [
    `<li class="take${take.chosen ? " chosen" : ""}" data-take="${take.take}">`,
    `<div class="thumb">${thumb}</div>`,
    `<p class="take-facts">take ${take.take} · ${escapeHtml(usd(take.cost))}${take.chosen ? ` · <b>chosen</b>` : ""}</p>`,
    !take.chosen && t.takeable
      ? `<button type="button" class="use-take" data-take-action="use" data-step="${escapeHtml(t.step)}" data-take="${take.take}" hidden>use this take</button>`
      : "",
    `</li>`,
  ].join("");
}

/** What the chosen take was made from, as recorded with it. */
function renderPrompt(t: StoryboardTakes): string {
  if (t.prompt.length === 0) return "";
  const parts = t.prompt.map((p) => `<dt>${escapeHtml(p.label)}</dt><dd>${escapeHtml(p.text)}</dd>`);
  return `<details class="prompt"><summary>prompt</summary><dl>${parts.join("")}</dl></details>`;
}

/**
 * Planned against built: "8 s planned" before the cut is measured, "8 s as
 * planned" once it is, "12.4 s (planned 8 s)" when the spoken lines ran past
 * the scene's `seconds`.
 */
function lengthText(scene: StoryboardScene): string {
  const round = (n: number) => Math.round(n * 10) / 10;
  if (scene.plannedSeconds !== undefined) return `${round(scene.seconds)} s <span class="planned">(planned ${round(scene.plannedSeconds)} s)</span>`;
  return scene.measured === true ? `${round(scene.seconds)} s <span class="k">as planned</span>` : `${scene.seconds} s <span class="k">planned</span>`;
}

function renderMedia(scene: Pick<StoryboardScene, "keyframe" | "clip" | "state">, label: string): string {
  const poster = scene.keyframe !== undefined ? ` poster="${buildHref(scene.keyframe)}"` : "";
  if (scene.clip !== undefined) {
    // muted: browsers only allow inline playback of many clips at once without sound prompts.
    return `<div class="media"><video controls playsinline muted preload="metadata"${poster} src="${buildHref(scene.clip)}" aria-label="${label} clip"></video></div>`;
  }
  if (scene.keyframe !== undefined) return `<div class="media"><img src="${buildHref(scene.keyframe)}" alt="${label} keyframe"></div>`;
  return `<div class="media empty">${EMPTY_MEDIA[scene.state]}</div>`;
}

function describe(key: string, value: string | undefined): string {
  return value === undefined || value === "" ? "" : `<p class="desc"><span class="k">${key}:</span> ${escapeHtml(value)}</p>`;
}

function renderLines(scene: Pick<StoryboardScene, "lines" | "outline">): string {
  if (scene.lines.length === 0) return scene.outline !== undefined ? `<p class="nolines">Narrated: the beat is read out and captioned.</p>` : `<p class="nolines">No lines.</p>`;
  const items = scene.lines.map(
    (line) =>
      `<li${line.placeholder === true ? ` class="placeholder"` : ""}><span class="speaker">${escapeHtml(line.speaker)}</span><span class="text">${escapeHtml(line.text)}</span>` +
      (line.said !== undefined ? `<span class="said">said: ${line.said ? `“${escapeHtml(line.said)}”` : "nothing"}</span>` : "") +
      `</li>`,
  );
  return `<ol class="lines">${items.join("")}</ol>`;
}

function totalSeconds(scenes: readonly StoryboardScene[]): number {
  return scenes.reduce((sum, s) => sum + s.seconds, 0);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Fixed formatting, not Intl: the page must not depend on the machine's locale. */
function usd(amount: number): string {
  if (amount > 0 && amount < 0.01) return "<$0.01";
  return `$${amount.toFixed(2)}`;
}

function clock(seconds: number): string {
  // Down, as video players count: a 47.6 s final reads 0:47 on the page and in its player alike.
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

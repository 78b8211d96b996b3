/**
 * The page's only stylesheet, inlined so build/storyboard.html works offline,
 * from disk, and mailed as one file. System fonts only; the CJK families are
 * listed so Chinese, Japanese and Korean lines pick a real font where the
 * platform has one (the `lang` attribute chooses the regional glyphs).
 */
export const STORYBOARD_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f4f2ee; --card: #ffffff; --ink: #1d1b18; --muted: #6b655c; --line: #e2ddd4;
  --media: #1b1a18; --accent: #b4531b;
  --cached: #55606e; --built: #237a3b; --failed: #b42318; --waiting: #8a6d1a; --running: #1f5fbf;
  --failed-bg: #fdecea;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #141311; --card: #1f1d1a; --ink: #f1ede6; --muted: #a39c91; --line: #34312c;
    --media: #000000; --accent: #f0a35e;
    --cached: #9aa6b5; --built: #5cc27a; --failed: #ff7b6e; --waiting: #e0bf5c; --running: #79a8f2;
    --failed-bg: #3a1d1a;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial,
    "PingFang SC", "Hiragino Sans", "Noto Sans CJK SC", "Microsoft YaHei", "WenQuanYi Zen Hei", sans-serif;
  overflow-wrap: anywhere;
}
.wrap { max-width: 1400px; margin: 0 auto; padding: 16px; }
header.top { margin-bottom: 20px; }
h1 { font-size: 1.6rem; line-height: 1.2; margin: 0 0 4px; }
.sub { color: var(--muted); margin: 0 0 12px; }
.totals { display: flex; flex-wrap: wrap; gap: 6px; margin: 0; padding: 0; list-style: none; }
.totals li { background: var(--card); border: 1px solid var(--line); border-radius: 999px; padding: 2px 10px; font-size: 0.85rem; }
.totals b { font-variant-numeric: tabular-nums; }
.totals .bad { color: var(--failed); border-color: currentColor; }
.grid { display: grid; gap: 16px; grid-template-columns: repeat(auto-fill, minmax(min(100%, 260px), 1fr)); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; overflow: hidden; display: flex; flex-direction: column; }
.card.failed { border-color: var(--failed); }
.card.final-cut { border: 2px solid var(--accent); }
.final-cut h2 { color: var(--accent); }
/* A fixed 9:16 frame whatever the media's own size, so cards in a row line up; media is letterboxed inside. */
.media { background: var(--media); aspect-ratio: 9 / 16; max-height: 62vh; width: 100%; }
.media video, .media img { display: block; width: 100%; height: 100%; object-fit: contain; }
.media.empty { background: transparent; border-bottom: 1px dashed var(--line); display: grid; place-items: center; color: var(--muted); font-size: 0.9rem; }
/* One column on a phone: an empty frame a screen tall says nothing, so keep it short. */
@media (max-width: 599px) { .media.empty { aspect-ratio: auto; height: 120px; } }
.body { padding: 12px 14px 14px; display: flex; flex-direction: column; gap: 8px; }
.head { display: flex; align-items: baseline; gap: 8px; }
.num { color: var(--muted); font-variant-numeric: tabular-nums; }
h2 { font-size: 1.05rem; margin: 0; flex: 1; min-width: 0; }
.badge { font-size: 0.75rem; font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em; border: 1px solid currentColor; border-radius: 999px; padding: 0 8px; white-space: nowrap; }
.badge.cached { color: var(--cached); } .badge.built { color: var(--built); } .badge.failed { color: var(--failed); }
.badge.waiting { color: var(--waiting); border-style: dashed; } .badge.running { color: var(--running); }
@media (prefers-reduced-motion: no-preference) { .badge.running { animation: pulse 1.4s ease-in-out infinite; } }
@keyframes pulse { 50% { opacity: 0.45; } }
.facts { color: var(--muted); font-size: 0.85rem; margin: 0; font-variant-numeric: tabular-nums; }
.desc { margin: 0; font-size: 0.9rem; }
.desc .k { color: var(--muted); }
/* pre-line: a tool's message often has its detail on a second line (ffmpeg's stderr). */
.failure { background: var(--failed-bg); color: var(--failed); border-radius: 8px; padding: 8px 10px; margin: 0; font-size: 0.85rem; white-space: pre-line; }
.failure code { font-size: 0.8rem; display: block; opacity: 0.85; }
.lines { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; border-top: 1px solid var(--line); padding-top: 8px; }
.speaker { display: block; font-size: 0.75rem; font-weight: 600; color: var(--accent); text-transform: uppercase; letter-spacing: 0.03em; }
:lang(zh) .speaker, :lang(ja) .speaker, :lang(ko) .speaker { text-transform: none; letter-spacing: 0; font-size: 0.8rem; }
.lines .placeholder .text { color: var(--muted); font-style: italic; }
.lines .said { display: block; color: #b35c00; font-size: 0.8rem; }
.outline { margin: 0.3rem 0; padding: 0.2rem 0.5rem; border-left: 3px solid #d9a400; color: var(--muted); font-size: 0.85rem; }
.facts .planned { color: #d9a400; }
.nolines { color: var(--muted); font-size: 0.85rem; margin: 0; }
/* A series' index: one row per episode, the poster a thumbnail at its side. */
.episodes { display: flex; flex-direction: column; gap: 12px; }
.card.episode { flex-direction: row; }
.card.episode .poster { flex: 0 0 96px; background: var(--media); aspect-ratio: 9 / 16; display: block; }
.card.episode .poster img { display: block; width: 100%; height: 100%; object-fit: contain; }
.card.episode .poster .media.empty { height: 100%; aspect-ratio: auto; font-size: 0.75rem; text-align: center; }
.card.episode .body { flex: 1; }
/* Takes: each generation's tries side by side, the chosen one outlined. */
.takes { border-top: 1px solid var(--line); padding-top: 8px; display: flex; flex-direction: column; gap: 6px; }
.takes h3, .cast-sheet h3 { font-size: 0.85rem; margin: 0; }
.takes h3 .k, .facts .k { color: var(--muted); font-weight: normal; }
.take-row { list-style: none; margin: 0; padding: 0; display: flex; gap: 6px; overflow-x: auto; }
.take { flex: 0 0 auto; width: 84px; display: flex; flex-direction: column; gap: 2px; }
.take .thumb { background: var(--media); aspect-ratio: 9 / 16; border-radius: 6px; overflow: hidden; border: 2px solid transparent; }
.take.chosen .thumb { border-color: var(--accent); }
.take .thumb img, .take .thumb video { display: block; width: 100%; height: 100%; object-fit: contain; }
.take .thumb img:not([src]), .take .thumb video:not([src]) { visibility: hidden; }
.take-facts { margin: 0; font-size: 0.75rem; color: var(--muted); font-variant-numeric: tabular-nums; }
.take-facts b { color: var(--accent); }
.takes button { font: inherit; font-size: 0.75rem; padding: 2px 8px; border-radius: 999px; border: 1px solid var(--accent); background: transparent; color: var(--accent); cursor: pointer; }
.takes button:disabled { opacity: 0.5; cursor: progress; }
.takes button.new-take { align-self: flex-start; }
.take-status { margin: 0; font-size: 0.8rem; color: var(--muted); }
.take-status:empty { display: none; }
.prompt { font-size: 0.8rem; color: var(--muted); }
.prompt summary { cursor: pointer; }
.prompt dl { margin: 4px 0 0; display: grid; grid-template-columns: auto 1fr; gap: 2px 8px; }
.prompt dt { font-weight: 600; }
.prompt dd { margin: 0; color: var(--ink); }
/* A multi-shot scene takes a whole row: its shots side by side, scrolling sideways past the width. */
.card.multi-shot { grid-column: 1 / -1; flex-direction: row; }
.card.multi-shot > .media { flex: 0 0 clamp(160px, 22%, 300px); width: auto; }
.card.multi-shot > .body { flex: 1; min-width: 0; }
@media (max-width: 599px) { .card.multi-shot { flex-direction: column; } .card.multi-shot > .media { flex: none; width: 100%; } }
.shot-strip { list-style: none; margin: 0; padding: 0 0 4px; display: flex; gap: 10px; overflow-x: auto; border-top: 1px solid var(--line); padding-top: 8px; }
.shot { flex: 0 0 220px; border: 1px solid var(--line); border-radius: 10px; overflow: hidden; display: flex; flex-direction: column; }
.shot.failed { border-color: var(--failed); }
.shot .media { max-height: 40vh; }
.shot .body { padding: 8px 10px 10px; gap: 6px; }
.shot h3 { font-size: 0.95rem; margin: 0; flex: 1; min-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.shot-id { color: var(--muted); font-size: 0.8rem; }
/* The cast sheet: one row of people above the scenes. */
.cast-sheet { margin-bottom: 20px; }
.cast-sheet h2 { margin-bottom: 8px; }
.people { list-style: none; margin: 0; padding: 0; display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(min(100%, 260px), 1fr)); }
.person { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 10px; display: flex; gap: 10px; }
.person .portrait { flex: 0 0 72px; width: 72px; aspect-ratio: 9 / 16; object-fit: cover; border-radius: 8px; background: var(--media); }
.person .portrait.empty { display: grid; place-items: center; color: var(--muted); font-size: 0.7rem; text-align: center; background: transparent; border: 1px dashed var(--line); }
.person .who { flex: 1; min-width: 0; display: flex; flex-direction: column; gap: 4px; }
.person h3 { font-size: 1rem; }
.look { margin: 0; font-size: 0.85rem; color: var(--muted); }
footer { color: var(--muted); font-size: 0.8rem; text-align: center; padding: 24px 0 8px; }
`;

/**
 * The contract between the storyboard page and the preview server for live
 * reload. Both sides import these names so they cannot drift apart.
 *
 * The page carries a version (a hash of its own content) in a meta tag. On
 * every (re)connection the server says which version is on disk; a page that
 * was loaded just before a rebuild, and connected just after it, sees a
 * different version and reloads: no `reload` event can fall into the gap
 * between a page load and its EventSource connecting.
 */
import { createHash } from "node:crypto";

export const EVENTS_PATH = "/__dramake/events";
export const VERSION_META = "dramake-page";

export function pageVersion(htmlWithoutVersion: string): string {
  return createHash("sha256").update(htmlWithoutVersion).digest("hex").slice(0, 16);
}

/** The version a page on disk declares, or "" if it declares none. */
export function readPageVersion(html: string): string {
  const match = new RegExp(`<meta name="${VERSION_META}" content="([0-9a-f]+)">`).exec(html);
  return match?.[1] ?? "";
}

/**
 * Inline, dependency-free. Opened from file:// (or anything not http) it does
 * nothing at all, so a storyboard mailed around or opened from disk stays
 * silent; served by `dramake preview` it reloads on a `reload` event or when
 * the server's version of its own file (by its path: a series has a page
 * per episode) differs from its own.
 */
export const LIVE_RELOAD_SCRIPT = `(function () {
  if (location.protocol !== "http:" && location.protocol !== "https:") return;
  if (typeof EventSource !== "function") return;
  var meta = document.querySelector('meta[name="${VERSION_META}"]');
  var mine = meta ? meta.getAttribute("content") : "";
  var events = new EventSource("${EVENTS_PATH}?page=" + encodeURIComponent(location.pathname));
  function reload() { events.close(); location.reload(); }
  events.addEventListener("hello", function (e) { if (e.data && mine && e.data !== mine) reload(); });
  events.addEventListener("reload", reload);
})();`;

/**
 * The two ways text from a project reaches the page: as HTML text/attribute
 * content, and as a relative URL. Everything the renderer interpolates goes
 * through one of these, so a line of dialogue can never become markup.
 */

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Safe in element content and in quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/**
 * A build-relative path (`scenes/the call/clip.mp4`) as a relative URL
 * (`scenes/the%20call/clip.mp4`), escaped for an attribute. Encoding each
 * segment keeps `/` as a separator while `:` `#` `?` and spaces stay literal
 * parts of file names, so no path can turn into `javascript:` or a query.
 * Leading slashes and `.`/`..` segments are dropped: the page only ever points
 * inside build/.
 */
export function buildHref(path: string): string {
  const segments = path
    .split(/[\\/]+/)
    .filter((s) => s !== "" && s !== "." && s !== "..")
    .map(encodeURIComponent);
  return escapeHtml(segments.join("/"));
}

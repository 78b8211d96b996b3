/**
 * The contract between the storyboard page and the preview server for takes:
 * where a take that is not in build/ is served from, where the page's
 * buttons post, and the token the server puts into each page it serves.
 * Both sides import these names so they cannot drift apart.
 *
 * The page on disk has no token and shows no buttons: opened as a file it
 * shows each chosen take and the numbers of the others. The server adds
 * `<meta name="dramake-token">` when it serves a page; the script below then
 * loads the other takes' thumbnails and shows the buttons.
 */

export const TOKEN_META = "dramake-token";
/** The header a post carries its token in: a cross-site form cannot set it, and a cross-site fetch that does needs a preflight the server refuses. */
export const TOKEN_HEADER = "x-dramake-token";
/** POST `{step, take}`: choose a take already made. */
export const USE_TAKE_PATH = "/__dramake/takes/use";
/** POST `{step}`: make a new take (priced; the budget applies). */
export const NEW_TAKE_PATH = "/__dramake/takes/new";
/** GET `<prefix><action key>/<output>.<ext>`: a take's output from the action cache. */
export const TAKE_MEDIA_PREFIX = "/__dramake/take/";

/** Output names and extensions a take's media URL may have: what steps with takes write. */
const MEDIA = /^\/__dramake\/take\/([0-9a-f]{16})\/([a-z][a-z0-9-]{0,31})\.(png|jpg|webp|mp4|webm)$/;

export function takeMediaUrl(key: string, output: string, ext: string): string {
  return `${TAKE_MEDIA_PREFIX}${key}/${output}.${ext}`;
}

/** A take media path as the page writes it, or undefined: anything else (another shape, dots, slashes) is refused whole. */
export function parseTakeMediaPath(pathname: string): { readonly key: string; readonly output: string; readonly ext: string } | undefined {
  const m = MEDIA.exec(pathname);
  return m ? { key: m[1]!, output: m[2]!, ext: m[3]! } : undefined;
}

/**
 * Inline, dependency-free, like the live-reload script. Does nothing unless
 * served (http and a token in the page). A button posts JSON with the token
 * in a header and shows the server's answer as text; the page reloads by the
 * live-reload channel once the rebuild writes a new page.
 */
export const TAKES_SCRIPT = `(function () {
  if (location.protocol !== "http:" && location.protocol !== "https:") return;
  var meta = document.querySelector('meta[name="${TOKEN_META}"]');
  var token = meta ? meta.getAttribute("content") : "";
  if (!token) return;
  document.documentElement.setAttribute("data-served", "");
  var media = document.querySelectorAll("[data-take-src]");
  for (var i = 0; i < media.length; i++) media[i].setAttribute("src", media[i].getAttribute("data-take-src"));
  var buttons = document.querySelectorAll("button[data-take-action]");
  function enable(on) { for (var i = 0; i < buttons.length; i++) { buttons[i].hidden = false; buttons[i].disabled = !on; } }
  enable(true);
  document.addEventListener("click", function (e) {
    var b = e.target && e.target.closest ? e.target.closest("button[data-take-action]") : null;
    if (!b || b.disabled) return;
    var strip = b.closest(".takes");
    var status = strip ? strip.querySelector(".take-status") : null;
    function say(text) { if (status) status.textContent = text; }
    var body = { step: b.getAttribute("data-step") };
    if (b.hasAttribute("data-take")) body.take = Number(b.getAttribute("data-take"));
    var action = b.getAttribute("data-take-action");
    enable(false);
    say(action === "new" ? "pricing a new take…" : "choosing take " + body.take + "…");
    function post() {
      return fetch(action === "new" ? "${NEW_TAKE_PATH}" : "${USE_TAKE_PATH}", {
        method: "POST",
        headers: { "Content-Type": "application/json", "${TOKEN_HEADER}": token },
        body: JSON.stringify(body)
      }).then(function (r) {
        return r.json().then(function (answer) {
          // A paid take: asked once, with the server's estimate; yes posts again agreeing to that much.
          if (answer && answer.error === "unconfirmed" && body.confirm === undefined) {
            if (window.confirm("New take " + answer.take + " of " + body.step + ": the build it asks for is estimated at $" + Number(answer.estimate).toFixed(2) + ". Spend it?")) {
              body.confirm = answer.estimate;
              say("making take " + answer.take + "…");
              return post();
            }
            say("not made; nothing was sent");
            enable(true);
            return;
          }
          say(answer && answer.message ? answer.message : "HTTP " + r.status);
          if (!r.ok) enable(true);
        });
      });
    }
    post().catch(function () { say("the preview server did not answer"); enable(true); });
  });
})();`;

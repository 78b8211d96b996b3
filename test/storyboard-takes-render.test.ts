/**
 * The takes, prompts and cast sheet as the renderer writes them (a pure
 * function of the model): the page on disk shows the chosen take and the
 * others' numbers, with no button visible and no take fetched until served;
 * project text in prompts, names and looks stays text.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { renderStoryboard, type StoryboardModel } from "../src/report/storyboard/index.js";
import { englishModel } from "./storyboard-fixtures.js";

const ATTACK = '<script>window.__injected = 1</script>"\'&';
const KEY1 = "0123456789abcdef";

const model: StoryboardModel = {
  ...englishModel,
  cast: [
    { id: "grandpa", name: ATTACK, look: ATTACK, portrait: "cast/grandpa.png", takes: { step: "cast/grandpa/portrait", media: "image", prompt: [], takeable: true, takes: [{ take: 1, cost: 0.04, chosen: true, href: "cast/grandpa.png" }] } },
  ],
  scenes: englishModel.scenes.map((s, i) =>
    i === 0
      ? {
          ...s,
          keyframeTakes: {
            step: "scene/the-call/keyframe",
            media: "image",
            prompt: [{ label: "setting", text: ATTACK }],
            takeable: true,
            takes: [
              { take: 1, cost: 0.04, chosen: false, cached: `/__dramake/take/${KEY1}/image.png` },
              { take: 2, cost: 0.04, chosen: true, href: "scenes/the-call/keyframe.png" },
            ],
          },
          clipTakes: { step: "scene/the-call/clip", media: "video", prompt: [], takeable: true, takes: [{ take: 1, cost: 0.4, chosen: true, href: "scenes/the-call/clip.mp4" }] },
        }
      : s,
  ),
};

test("takes on disk: the chosen one from build/, another only by number until served, buttons hidden", () => {
  const html = renderStoryboard(model);
  const strip = /<section class="takes" aria-label="Keyframe takes" data-step="scene\/the-call\/keyframe">[^]*?<\/section>/.exec(html)?.[0];
  assert.ok(strip);
  assert.match(strip, /<li class="take" data-take="1"><div class="thumb"><img data-take-src="\/__dramake\/take\/0123456789abcdef\/image\.png" alt="Keyframe take 1">/);
  assert.match(strip, /<li class="take chosen" data-take="2"><div class="thumb"><img src="scenes\/the-call\/keyframe\.png" alt="Keyframe take 2 \(chosen\)">/);
  assert.match(strip, /take 1 · \$0\.04<\/p><button type="button" class="use-take" data-take-action="use" data-step="scene\/the-call\/keyframe" data-take="1" hidden>use this take<\/button>/);
  assert.match(strip, /<button type="button" class="new-take" data-take-action="new" data-step="scene\/the-call\/keyframe" hidden>new take · about \$0\.04<\/button>/, "the price on the button");
  assert.equal((html.match(/<button /g) ?? []).length, (html.match(/<button [^>]* hidden>/g) ?? []).length, "every button hidden on disk");
  // One take is the card's own picture: its number and cost, no second thumbnail.
  assert.match(html, /<section class="takes" aria-label="Clip takes" data-step="scene\/the-call\/clip"><h3>Clip <span class="k">· take 1 · \$0\.40<\/span><\/h3><button/);
  assert.doesNotMatch(html, /(?<![-\w])(src|href|poster)="\/__dramake/, "nothing points at the server on disk");
});

test("prompts, names and looks are text: one script element, the attack escaped everywhere", () => {
  const html = renderStoryboard(model);
  assert.equal(html.match(/<script\b/g)?.length, 1);
  const escaped = "&lt;script&gt;window.__injected = 1&lt;/script&gt;&quot;&#39;&amp;";
  assert.ok(html.includes(`<dt>setting</dt><dd>${escaped}</dd>`), "the prompt");
  assert.ok(html.includes(`<h3 class="name">${escaped}</h3><p class="look">${escaped}</p>`), "the cast sheet");
  assert.match(html, /<section class="cast-sheet" aria-label="Cast"><h2>Cast<\/h2><ul class="people"><li class="person" id="cast-grandpa"><img class="portrait" src="cast\/grandpa\.png"/);
});

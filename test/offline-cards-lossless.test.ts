/**
 * Issue 32, "nothing is lost on cards either": the offline keyframe card's
 * setting and action, however long, are set smaller or given more lines,
 * never cut with "…"; and the same request gives the same filtergraph.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { cardGraph } from "../src/media/card.js";
import { findFonts } from "../src/media/fonts.js";
import { keyframeCard } from "../src/providers/offline/cards.js";

const SETTING =
  "the grand ballroom of the Lin family mansion on the night of the engagement party, crystal chandeliers, a string quartet by the window, guests in evening dress whispering about the missing bride";
const ACTION = "MR. LIN, 50s, silver hair and a black tuxedo, steps down the staircase, raises his glass and announces that the wedding is cancelled";
const SETTING_ZH = "林家大宅的宴会厅，订婚晚宴之夜，水晶吊灯下弦乐四重奏在窗边演奏，宾客们穿着晚礼服低声议论着失踪的新娘和她留下的那封信";

/** The text each drawtext sets, in order (the filter escapes ':' and ',' and quotes). */
function drawnText(graph: string): string[] {
  return [...graph.matchAll(/drawtext=expansion=none(?::fontfile=(?:\\.|[^:])*)?:text=((?:\\.|[^:])*):/g)].map((m) => m[1]!.replace(/\\(.)/g, "$1").replace(/^'|'$/g, ""));
}

for (const [name, setting, language] of [["English", SETTING, "en"], ["Chinese", SETTING_ZH, "zh"]] as const) {
  for (const size of [{ width: 180, height: 320 }, { width: 720, height: 1280 }]) {
    test(`a ${name} setting of ${[...setting].length} characters on a ${size.width}x${size.height} keyframe card: every character drawn, no ellipsis`, () => {
      const spec = keyframeCard({ sceneId: "ballroom", setting, action: ACTION, camera: "", style: "", language, size, references: [] });
      const { graph } = cardGraph(spec, findFonts());
      assert.ok(!graph.includes("…"), "no ellipsis on the card");
      const drawn = drawnText(graph);
      const squash = (s: string) => s.replace(/\s+/g, "");
      // Each block's lines joined give the block's text back (wrapping drops only the spaces it breaks at).
      assert.ok(squash(drawn.join("")).includes(squash(setting)), `the setting is whole: ${JSON.stringify(drawn)}`);
      assert.ok(squash(drawn.join("")).includes(squash(ACTION)), `the action is whole: ${JSON.stringify(drawn)}`);
      assert.equal(cardGraph(keyframeCard({ sceneId: "ballroom", setting, action: ACTION, camera: "", style: "", language, size, references: [] }), findFonts()).graph, graph, "deterministic");
    });
  }
}

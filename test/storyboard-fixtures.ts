/**
 * Sample storyboards and real media for the storyboard and preview tests.
 * Media are tiny (180x320) but real: a PNG per scene and a 1 s H.264 mp4,
 * made with the ffmpeg binary the product itself uses.
 */
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import type { StoryboardModel, StoryboardScene } from "../src/report/storyboard/index.js";

const run = promisify(execFile);
const ffmpeg = (createRequire(import.meta.url)("@ffmpeg-installer/ffmpeg") as { path: string }).path;

const totals = (scenes: readonly StoryboardScene[], extra: Partial<StoryboardModel["totals"]> = {}): StoryboardModel["totals"] => ({
  scenes: scenes.length,
  steps: 38,
  ran: 9,
  cached: 27,
  failed: 1,
  costSpent: 1.84,
  costEstimated: 2.3,
  saved: 6.12,
  ...extra,
});

const englishScenes: StoryboardScene[] = [
  {
    id: "the-call",
    index: 1,
    setting: "small kitchen, New Year's Eve, one dim lamp",
    action: "He answers a video call; his smile fades.",
    seconds: 8,
    state: "cached",
    keyframe: "scenes/the-call/keyframe.png",
    clip: "scenes/the-call/clip.mp4",
    lines: [
      { speaker: "Grandfather Wang", text: "Wei? You are not coming home?" },
      { speaker: "Wei", text: "Dad, I'm sorry. Work..." },
    ],
    cost: 0.42,
  },
  {
    id: "decision",
    index: 2,
    setting: "the same kitchen, later that night",
    beat: "He decides to travel to the city himself.",
    seconds: 6,
    state: "built",
    keyframe: "scenes/decision/keyframe.png",
    clip: "scenes/decision/clip.mp4",
    lines: [{ speaker: "Grandfather Wang", text: "If the mountain will not come, the old man goes to the mountain." }],
    cost: 0.61,
  },
  {
    id: "the-train",
    index: 3,
    setting: "crowded night train, frost on the window",
    action: "He holds a bag of dumplings on his knees and watches the lights pass.",
    seconds: 7,
    state: "failed",
    failure: { step: "scene/the-train/clip", reason: "video provider refused the job: 429 rate limited, gave up after 5 retries" },
    keyframe: "scenes/the-train/keyframe.png",
    lines: [{ speaker: "Conductor", text: "Tickets, please. Going far, uncle?" }],
    cost: 0.35,
  },
  {
    id: "the-city",
    index: 4,
    setting: "a glass office tower at dawn",
    beat: "He waits in the lobby; the guard does not let him up.",
    seconds: 6,
    state: "running",
    lines: [
      { speaker: "Guard", text: "writing line…", placeholder: true },
      { speaker: "Grandfather Wang", text: "writing line…", placeholder: true },
    ],
    cost: 0.18,
  },
  {
    id: "reunion",
    index: 5,
    setting: "street outside the tower, first snow",
    action: "Wei runs out without his coat. They hold each other.",
    seconds: 9,
    state: "waiting",
    lines: [
      { speaker: "Wei", text: "Dad! How did you get here?" },
      { speaker: "Grandfather Wang", text: "By train. It is New Year." },
    ],
    cost: 0,
  },
];

export const englishModel: StoryboardModel = {
  title: "Grandpa's New Year Surprise",
  slug: "grandpas-new-year-surprise",
  language: "en",
  totals: totals(englishScenes),
  final: { href: "grandpas-new-year-surprise.mp4", durationSeconds: 36 },
  scenes: englishScenes,
  builtAt: "2026-11-21 23:59 UTC",
};

const chineseScenes: StoryboardScene[] = [
  {
    id: "电话",
    index: 1,
    setting: "小厨房，除夕夜，一盏昏暗的灯",
    action: "他接起视频电话，笑容慢慢消失。",
    seconds: 8,
    state: "cached",
    keyframe: "scenes/电话/keyframe.png",
    clip: "scenes/电话/clip.mp4",
    lines: [
      { speaker: "王爷爷", text: "小伟？你今年不回家了？" },
      { speaker: "小伟", text: "爸，对不起。公司太忙了……" },
    ],
    cost: 0.42,
  },
  {
    id: "决定",
    index: 2,
    beat: "他决定自己坐火车去城里。",
    seconds: 6,
    state: "built",
    keyframe: "scenes/决定/keyframe.png",
    clip: "scenes/决定/clip.mp4",
    lines: [{ speaker: "王爷爷", text: "山不过来，我就过去。" }],
    cost: 0.61,
  },
  {
    id: "火车",
    index: 3,
    setting: "拥挤的夜车，车窗结着霜",
    seconds: 7,
    state: "failed",
    failure: { step: "scene/火车/clip", reason: "视频服务拒绝了任务：429 请求过多，重试 5 次后放弃" },
    keyframe: "scenes/火车/keyframe.png",
    lines: [{ speaker: "列车员", text: "请出示车票。大爷，去哪儿啊？" }],
    cost: 0.35,
  },
  {
    id: "团圆",
    index: 4,
    setting: "写字楼外的街道，初雪",
    seconds: 9,
    state: "waiting",
    lines: [
      { speaker: "小伟", text: "爸！你怎么来了？" },
      { speaker: "王爷爷", text: "过年嘛。" },
    ],
    cost: 0,
  },
];

export const chineseModel: StoryboardModel = {
  title: "爷爷的新年惊喜",
  slug: "grandpa-new-year",
  language: "zh-CN",
  totals: totals(chineseScenes, { steps: 30, ran: 6, cached: 23 }),
  final: { href: "grandpa-new-year.mp4", durationSeconds: 30 },
  scenes: chineseScenes,
  builtAt: "2026-11-21 23:59 UTC",
};

const COLOURS = ["0x37506b", "0x6b4a37", "0x2f5e4e", "0x5b3a63", "0x7a6a35"];

let master: Promise<string> | undefined;

/** One set of real media, made once per test process, copied into every build dir. */
function masterMedia(): Promise<string> {
  master ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), "dramake-media-"));
    const quiet = ["-hide_banner", "-loglevel", "error", "-y"];
    await Promise.all([
      ...COLOURS.map((colour, i) =>
        run(ffmpeg, [
          ...quiet,
          "-f", "lavfi", "-i", `color=c=${colour}:s=180x320,drawbox=x=20:y=190:w=140:h=90:color=white@0.25:t=fill,drawbox=x=60:y=60:w=60:h=60:color=0xf0c070@0.8:t=fill`,
          "-frames:v", "1", join(dir, `keyframe-${i}.png`),
        ]),
      ),
      run(ffmpeg, [
        ...quiet,
        "-f", "lavfi", "-i", "testsrc2=s=180x320:r=24:d=1",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", join(dir, "clip.mp4"),
      ]),
    ]);
    return dir;
  })();
  return master;
}

/** A fresh build/ directory holding every keyframe, clip and final the model names. */
export async function buildDirFor(model: StoryboardModel): Promise<string> {
  const media = await masterMedia();
  const buildDir = join(await mkdtemp(join(tmpdir(), "dramake-build-")), "build");
  const place = async (source: string, href: string): Promise<void> => {
    const target = join(buildDir, href);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(join(media, source), target);
  };
  await mkdir(buildDir, { recursive: true });
  await Promise.all(
    model.scenes.flatMap((scene, i) => [
      scene.keyframe !== undefined ? place(`keyframe-${i % COLOURS.length}.png`, scene.keyframe) : [],
      scene.clip !== undefined ? place("clip.mp4", scene.clip) : [],
    ]).flat(),
  );
  if (model.final !== undefined) await place("clip.mp4", model.final.href);
  return buildDir;
}

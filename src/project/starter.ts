/**
 * What `dramake init` writes: a small project that validates and builds
 * offline as it is, and shows each part of the format once.
 */

/** "my-first-drama" -> "My First Drama"; anything unusual is kept as written. */
export function titleFromDirName(name: string): string {
  const words = name.split(/[-_\s]+/).filter(Boolean);
  if (!words.length) return "My Drama";
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(" ");
}

export function starterProject(options: { title: string; schemaPath: string }): string {
  // JSON strings are valid YAML double-quoted scalars: any title is safe.
  const title = JSON.stringify(options.title);
  return `# yaml-language-server: $schema=${options.schemaPath}
#
# A dramake project. Build it (offline, no API key needed):
#   dramake build
# Check it after editing:
#   dramake validate
# (No dramake command? Install it from a clone of dramake: npm ci && npm install -g .)
dramake: 1
title: ${title}
language: en                      # BCP-47: drives voices, subtitle font, writing model
theme: >-
  A lighthouse keeper finds a message in a bottle from her younger self.
format: { aspect: "9:16", size: 720x1280, fps: 24 }
style: cinematic, cold blue dawn light   # appended to every visual prompt

# Everything is made offline by default. To use an OpenAI-compatible API,
# uncomment this block, put OPENAI_API_KEY=... in a .env file beside this one,
# and name the provider in \`use:\`, e.g. use: { text: cloud, image: cloud, speech: cloud }
#
# providers:
#   cloud:
#     type: openai
#     base_url: \${OPENAI_BASE_URL:-https://api.openai.com/v1}
#     api_key: \${OPENAI_API_KEY}
#     concurrency: { text: 8, image: 4, speech: 8, video: 2 }
#     models: { text: gpt-4.1-mini, image: gpt-image-1, speech: gpt-4o-mini-tts }
#   ark:                              # clips from a video service (README: Video services)
#     type: seedance
#     api_key: \${ARK_API_KEY}
#     models: { video: doubao-seedance-2-0-260128 }
use: { text: offline, image: offline, speech: offline, video: offline, music: offline }

cast:
  mara:
    name: Mara
    look: 60-year-old woman, grey braid, yellow oilskin coat
    voice: { offline: en+f3, style: calm and low }
    # reference: refs/mara.png    # optional: your own picture instead of a generated portrait

scenes:
  - id: the-bottle
    setting: rocky shore below a lighthouse, dawn, mist
    cast: [mara]
    action: She picks a green bottle out of the seaweed.
    camera: slow push-in
    seconds: 4
    lines:
      - mara: Another one? Nobody writes letters any more.

  - id: the-letter
    setting: lighthouse kitchen, a kettle on the stove
    cast: [mara]
    action: She unrolls the paper and recognises her own childhood handwriting.
    camera: static, close on the letter
    seconds: 5
    beat: She reads what she hoped for at ten, and laughs.   # no lines: they are written for you

music: { mood: "quiet wonder, solo piano" }    # or { file: music/theme.mp3 }
`;
}

export const STARTER_GITIGNORE_LINES = ["build/", ".dramake/", ".env"] as const;

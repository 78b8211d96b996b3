/** The built-in vendor presets by `type:`. */
import { fal } from "./fal.js";
import { kling } from "./kling.js";
import { luma } from "./luma.js";
import { minimax } from "./minimax.js";
import type { Preset } from "./preset.js";
import { replicate } from "./replicate.js";
import { runway } from "./runway.js";
import { seedance } from "./seedance.js";
import { veo } from "./veo.js";
import { wan } from "./wan.js";

export type { Preset };

export const PRESETS = { seedance, kling, veo, minimax, wan, runway, luma, fal, replicate } as const satisfies Record<string, Preset>;
export type PresetType = keyof typeof PRESETS;

/**
 * What `dramake providers` shows: each video preset with its base URL, what
 * it needs, and the models the capability table knows for it (lengths,
 * native audio, price per second where published). Data only; the CLI prints.
 */
import { CAPABILITIES } from "./capabilities.js";
import { PRESETS, type PresetType } from "./presets/index.js";

export interface CatalogModel {
  readonly model: string;
  readonly default: boolean;
  readonly seconds: readonly number[];
  readonly nativeAudio: boolean;
  readonly usdPerSecond?: number;
}

export interface CatalogEntry {
  readonly type: PresetType;
  readonly modalities: readonly ["video"];
  readonly baseUrl: string;
  readonly needs: string;
  readonly docs: string;
  readonly models: readonly CatalogModel[];
}

export function presetCatalog(): CatalogEntry[] {
  return (Object.keys(PRESETS) as PresetType[]).map((type) => {
    const p = PRESETS[type];
    return {
      type,
      modalities: ["video"] as const,
      baseUrl: p.baseUrl,
      needs: p.needs,
      docs: p.docs,
      models: p.models.map((model) => {
        const c = CAPABILITIES[model]!;
        return { model, default: model === p.defaultModel, seconds: c.seconds, nativeAudio: c.nativeAudio, ...(c.usdPerSecond !== undefined ? { usdPerSecond: c.usdPerSecond } : {}) };
      }),
    };
  });
}

/** "4-15" for a run of whole seconds, else "5, 10". */
export function lengths(seconds: readonly number[]): string {
  const run = seconds.length > 2 && seconds.every((s, i) => i === 0 || s === seconds[i - 1]! + 1);
  return run ? `${seconds[0]}-${seconds.at(-1)} s` : `${seconds.join(", ")} s`;
}

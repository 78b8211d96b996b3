/** The built-in `offline` type, as the provider registry knows it (see ../registry.ts). */
import { ok } from "../../result.js";
import type { ProviderType } from "../registry.js";
import { createOfflineProvider, OFFLINE_RENDER_VERSIONS } from "./index.js";

export const offlineProvider: ProviderType = {
  remote: false,
  create: async () => ok(createOfflineProvider()),
  // Its type, and its rendering version when past 1 (version 1 keys stay as they were).
  identity: (config, modality) => {
    const version = OFFLINE_RENDER_VERSIONS[modality] ?? 1;
    return version > 1 ? { type: config.type, version } : { type: config.type };
  },
};

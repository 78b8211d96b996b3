/** Moved to providers/http-jobs/presets/generations.ts (the relays' dialect is a preset of the one runner); kept so existing imports stand. */
export * from "../../http-jobs/presets/generations.js";

/** Moved to providers/http/download.ts (shared by every HTTP provider); kept so existing imports stand. */
export * from "../http/download.js";

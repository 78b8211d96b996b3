/** Moved to providers/http/retry.ts (shared by every HTTP provider); kept so existing imports stand. */
export * from "../http/retry.js";

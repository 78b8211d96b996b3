/** Moved to providers/http-jobs/answer-path.ts; kept so existing imports stand. */
export * from "../../http-jobs/answer-path.js";

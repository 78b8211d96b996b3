/** Moved to providers/http-jobs/template.ts; kept so existing imports stand. */
export * from "../../http-jobs/template.js";

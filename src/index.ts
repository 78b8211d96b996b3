/** The library API: what the CLI calls. */
export type { Result, Ok, Err } from "./result.js";
export { ok, err } from "./result.js";
export type * from "./providers/types.js";

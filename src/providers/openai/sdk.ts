/**
 * The openai SDK, loaded on first use rather than when a module imports it: every command that
 * reads the step graph reaches the providers (plan, status, validate), and loading the SDK costs
 * such a process ~0.2 s of CPU it never uses (issue 26). Loaded synchronously through require (its
 * CommonJS build) so the client getter stays synchronous; every runtime use (the client, toFile,
 * the error classes retry.ts tells apart) goes through this one copy, so `instanceof` holds.
 */
import { createRequire } from "node:module";

type Sdk = typeof import("openai");

let sdk: Sdk | undefined;

export function openaiSdk(): Sdk {
  return (sdk ??= createRequire(import.meta.url)("openai") as Sdk);
}

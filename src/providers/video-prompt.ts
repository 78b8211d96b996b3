/**
 * The words a clip is asked for, whichever service asks (OpenAI's
 * videos.create, a relay's job, a vendor preset): one rule, so the same scene
 * is described the same way to every model.
 */
import type { ClipRequest } from "./types.js";

export function videoPrompt(req: Pick<ClipRequest, "action" | "camera">): string {
  return `${req.action} Camera: ${req.camera}.`;
}

/**
 * A vendor preset is data for the job runner: the vendor's documented base
 * URL (a project's `base_url` overrides it; paths are appended as the vendor
 * documents them), its job mapping in the same shape a user writes under
 * `video_api:` (validated by the same schema), and what it needs.
 */
import type { JobApiInput } from "../../../project/job-api.js";
import type { DialogueForm } from "../dialogue-prompt.js";

export interface Preset {
  readonly type: string;
  readonly baseUrl: string;
  readonly api: JobApiInput;
  /** The model a provider of this type uses when `models.video` is left out. */
  readonly defaultModel: string;
  /** Other current video models the capability table knows for it. */
  readonly models: readonly string[];
  /** What the provider block needs, for `dramake providers` and errors. */
  readonly needs: string;
  /** The vendor's API reference. */
  readonly docs: string;
  /** How native dialogue is written into the prompt (issue 29): `says` (default) or `bracket` (Kling). */
  readonly dialogueForm?: DialogueForm;
}

/**
 * Everything that can go wrong in the media layer, as data. Callers (steps,
 * the offline provider) decide whether a failure is the user's problem or a
 * bug; nothing here throws for a failed encode.
 */
export type MediaFailure =
  | { readonly kind: "tool-missing"; readonly tool: "ffmpeg" | "ffprobe"; readonly message: string }
  | {
      readonly kind: "tool-failed";
      readonly tool: string;
      readonly exitCode: number | null;
      readonly signal: string | null;
      /** The last lines of stderr: where ffmpeg says what it disliked. */
      readonly stderrTail: string;
      readonly args: readonly string[];
    }
  | { readonly kind: "aborted" }
  | { readonly kind: "bad-media"; readonly file: string; readonly message: string }
  | { readonly kind: "invalid-input"; readonly message: string }
  | { readonly kind: "io"; readonly path: string; readonly message: string };

/** One human line (plus stderr tail) for reports and thrown provider errors. */
export function describeFailure(f: MediaFailure): string {
  switch (f.kind) {
    case "tool-missing":
      return `${f.tool} not found: ${f.message}`;
    case "tool-failed":
      return `${f.tool} failed (${f.signal ? `signal ${f.signal}` : `exit ${f.exitCode}`})\n${f.stderrTail}`;
    case "aborted":
      return "aborted";
    case "bad-media":
      return `${f.file}: ${f.message}`;
    case "invalid-input":
      return f.message;
    case "io":
      return `${f.path}: ${f.message}`;
  }
}

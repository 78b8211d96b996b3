/**
 * `dramake shots <scene|episode> [project]`: writes a shot list into the
 * project file in place, by the offline rules (src/write/shots.ts); the
 * director then edits the shots in git.
 */
import { PROJECT_ARG } from "../flags.js";
import { defineCommand, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "../command.js";
import { projectTarget, usageError } from "../options.js";
import { printDiagnostics } from "../diagnostics.js";
import { addedText } from "../describe-draft.js";
import { shownPath } from "../paths.js";

const command = defineCommand({
  name: "shots",
  summary: "write a shot list into drama.yaml in place for scenes or episodes (offline rules: an opening for the action, a close-up per speaker turn)",
  details:
    "The scene's lines move into its shots; its seconds go (shots take theirs from their lines). Everything outside the scenes named stays byte for byte.\n" +
    "A scene that has shots is left alone unless --force; one with only a beat has no lines to cut yet.",
  args: [
    { name: "target", required: true, description: "scene ids, comma-separated (a series: episode/<id>, or episode/<id>/scene/<id>)" },
    PROJECT_ARG,
  ],
  flags: {
    force: { description: "write the shots again for scenes that have them (from their lines)" },
    "dry-run": { description: "print the scenes as they would be written; write nothing" },
    seconds: { value: "LIST", description: "the video model's clip lengths, e.g. 5,10: a speaker's turn longer than the longest is cut" },
  },
  async run(input): Promise<number> {
    const [target, dir] = input.args as [string, string | undefined];
    const v = input.flags;
    let lengths: { seconds: number[] } | undefined;
    if (v.seconds !== undefined) {
      const list = v.seconds.split(",").map((x) => Number(x.trim()));
      if (!list.length || list.some((x) => !(Number.isFinite(x) && x > 0 && x <= 600))) return usageError(command, `--seconds takes clip lengths in seconds, comma-separated, e.g. 5,10; got '${v.seconds}'`);
      lengths = { seconds: list };
    }
    const where = projectTarget(dir);
    if (!where.ok) return usageError(command, where.error.message);
    const { writeShots } = await import("../../write/shots.js");
    const r = await writeShots(where.value.target, { targets: target.split(",").map((t) => t.trim()).filter(Boolean), force: v.force, dryRun: v["dry-run"], ...(lengths ? { lengths } : {}) });
    if (!r.ok) {
      const p = r.error;
      if (p.kind === "invalid-project") {
        await printDiagnostics(p.diagnostics, { json: false });
        return EXIT_USAGE;
      }
      process.stderr.write(`dramake shots: ${p.message}\n`);
      return p.kind === "unknown-target" ? EXIT_USAGE : EXIT_FAILED;
    }
    const o = r.value;
    if (v["dry-run"] || input.verbose) for (const f of o.files) process.stdout.write(addedText(f.before, f.after));
    if (!input.quiet) {
      for (const note of o.skipped) process.stderr.write(`note: left alone: ${note}\n`);
      const files = o.files.map((f) => shownPath(f.file)).join(", ");
      const n = o.scenes.length;
      process.stderr.write(n ? `${o.written ? "wrote" : "would write"} shots for ${n} scene${n === 1 ? "" : "s"} ${o.written ? "to" : "in"} ${files}\n` : "no scene was given shots\n");
    }
    return EXIT_OK;
  },
});
export default command;

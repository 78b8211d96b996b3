/**
 * Where ffmpeg and ffprobe live. Order: an explicit FFMPEG_PATH/FFPROBE_PATH,
 * then the PATH (a system build is usually newer), then the static binaries
 * of @ffmpeg-installer/@ffprobe-installer that npm installed with us.
 */
import { accessSync, constants } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, join } from "node:path";
import { err, ok, type Result } from "../result.js";
import type { MediaFailure } from "./failure.js";

export type Tool = "ffmpeg" | "ffprobe";

const ENV_VAR: Record<Tool, string> = { ffmpeg: "FFMPEG_PATH", ffprobe: "FFPROBE_PATH" };
const INSTALLER: Record<Tool, string> = { ffmpeg: "@ffmpeg-installer/ffmpeg", ffprobe: "@ffprobe-installer/ffprobe" };

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` on the PATH of `env`, or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const exts = process.platform === "win32" ? (env.PATHEXT ?? ".EXE;.CMD").split(";") : [""];
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

const resolved = new Map<Tool, string>();

/** Locate a tool once per process (the answer does not change under us). */
export function toolPath(tool: Tool, env: NodeJS.ProcessEnv = process.env): Result<string, MediaFailure> {
  const explicit = env[ENV_VAR[tool]];
  if (explicit) {
    return isExecutable(explicit)
      ? ok(explicit)
      : err({ kind: "tool-missing", tool, message: `${ENV_VAR[tool]}=${explicit} is not an executable file` });
  }
  const cached = resolved.get(tool);
  if (cached) return ok(cached);
  let found = findOnPath(tool, env);
  if (!found) {
    try {
      const require = createRequire(import.meta.url);
      const pkg = require(INSTALLER[tool]) as { path?: string };
      if (pkg.path && isExecutable(pkg.path)) found = pkg.path;
    } catch {
      // The installer package has no binary for this platform: fall through to the notice.
    }
  }
  if (!found) {
    return err({
      kind: "tool-missing",
      tool,
      message: `install ${tool} on the PATH or set ${ENV_VAR[tool]} (the bundled ${INSTALLER[tool]} has no binary for ${process.platform}-${process.arch})`,
    });
  }
  resolved.set(tool, found);
  return ok(found);
}

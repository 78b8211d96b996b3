/**
 * `dramake trust <origin>`: lets API keys from the environment or `.env` go
 * to one more origin (issue 33, item 5). Kept in the user's config directory,
 * never in a project, so a cloned project cannot trust its own server.
 */
import { defineCommand, EXIT_FAILED, EXIT_OK } from "../command.js";
import { usageError } from "../options.js";
import { shownPath } from "../paths.js";
import {
  addTrustedOrigin,
  BUILTIN_TRUSTED_ORIGINS,
  isLoopbackOrigin,
  originOf,
  readTrustFile,
  TRUSTED_ORIGINS_VARIABLE,
  trustFile,
} from "../../project/trusted-origins.js";

const command = defineCommand({
  name: "trust",
  summary: "let API keys from the environment or .env go to an origin (a relay, your own gateway); without one, list what is trusted",
  details: `Stored in ${"$XDG_CONFIG_HOME"}/dramake/trusted.json (or ~/.config/dramake/trusted.json), outside any project. ${TRUSTED_ORIGINS_VARIABLE}=a,b trusts for one shell.\nAlways trusted: ${BUILTIN_TRUSTED_ORIGINS.join(", ")}, localhost, 127.0.0.1, [::1]. A key written in the project file itself is not checked.`,
  args: [{ name: "origin", description: "an http(s) origin or URL, e.g. https://relay.example (only its scheme, host and port are kept)" }],
  flags: {},
  async run(input): Promise<number> {
    const given = input.args[0];
    if (given === undefined) {
      const user = await readTrustFile();
      const variable = (process.env[TRUSTED_ORIGINS_VARIABLE] ?? "").split(",").map((s) => originOf(s.trim())).filter((o) => o !== undefined);
      const lines = [
        ...BUILTIN_TRUSTED_ORIGINS.map((o) => `${o}\tbuilt in`),
        "localhost, 127.0.0.1, [::1]\tbuilt in",
        ...user.map((o) => `${o}\t${shownPath(trustFile())}`),
        ...variable.map((o) => `${o}\t${TRUSTED_ORIGINS_VARIABLE}`),
      ];
      process.stdout.write(`${lines.join("\n")}\n`);
      return EXIT_OK;
    }
    const origin = originOf(given);
    if (origin === undefined) return usageError(command, `'${given}' is not an http(s) origin; give one such as https://relay.example`);
    if (BUILTIN_TRUSTED_ORIGINS.includes(origin) || isLoopbackOrigin(origin)) {
      if (!input.quiet) process.stdout.write(`${origin} is always trusted; nothing to do\n`);
      return EXIT_OK;
    }
    try {
      const added = await addTrustedOrigin(origin);
      if (!input.quiet) process.stdout.write(added ? `trusted ${origin} (saved in ${shownPath(trustFile())})\n` : `${origin} was already trusted\n`);
      return EXIT_OK;
    } catch (e) {
      process.stderr.write(`dramake trust: cannot write ${shownPath(trustFile())} (${(e as NodeJS.ErrnoException).code ?? "error"})\n`);
      return EXIT_FAILED;
    }
  },
});
export default command;

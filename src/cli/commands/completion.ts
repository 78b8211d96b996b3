import { defineCommand, EXIT_OK } from "../command.js";
import { completionScript, SHELLS, type Shell } from "../completion.js";
import { usageError } from "../options.js";
import { commands } from "../registry.js";

const command = defineCommand({
  name: "completion",
  summary: "print a shell completion script: bash, zsh or fish",
  details: "bash: source <(dramake completion bash) in ~/.bashrc\nzsh:  source <(dramake completion zsh) in ~/.zshrc, after compinit\nfish: dramake completion fish > ~/.config/fish/completions/dramake.fish",
  args: [{ name: "shell", required: true, description: `the shell: ${SHELLS.join(", ")}` }],
  flags: {},
  async run(input): Promise<number> {
    const shell = input.args[0]!;
    if (!(SHELLS as readonly string[]).includes(shell)) return usageError(command, `no completion for '${shell}'; allowed: ${SHELLS.join(", ")}`);
    const all = await Promise.all(Object.values(commands).map(async (load) => (await load()).default));
    process.stdout.write(completionScript(shell as Shell, all));
    return EXIT_OK;
  },
});
export default command;

import type { Command } from "../command.js";
import { EXIT_USAGE } from "../command.js";

// Placeholder until the issue that owns 'init' lands.
const command: Command = {
  summary: "dramake init (not built yet)",
  usage: "dramake init [dir]",
  async run() {
    process.stderr.write("dramake init: not built yet\n");
    return EXIT_USAGE;
  },
};
export default command;

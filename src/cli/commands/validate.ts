import type { Command } from "../command.js";
import { EXIT_USAGE } from "../command.js";

// Placeholder until the issue that owns 'validate' lands.
const command: Command = {
  summary: "dramake validate (not built yet)",
  usage: "dramake validate [dir]",
  async run() {
    process.stderr.write("dramake validate: not built yet\n");
    return EXIT_USAGE;
  },
};
export default command;

import type { Command } from "../command.js";
import { EXIT_USAGE } from "../command.js";

// Placeholder until the issue that owns 'clean' lands.
const command: Command = {
  summary: "dramake clean (not built yet)",
  usage: "dramake clean [dir]",
  async run() {
    process.stderr.write("dramake clean: not built yet\n");
    return EXIT_USAGE;
  },
};
export default command;

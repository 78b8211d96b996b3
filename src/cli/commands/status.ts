import type { Command } from "../command.js";
import { EXIT_USAGE } from "../command.js";

// Placeholder until the issue that owns 'status' lands.
const command: Command = {
  summary: "dramake status (not built yet)",
  usage: "dramake status [dir]",
  async run() {
    process.stderr.write("dramake status: not built yet\n");
    return EXIT_USAGE;
  },
};
export default command;

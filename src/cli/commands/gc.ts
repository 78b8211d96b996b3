import type { Command } from "../command.js";
import { EXIT_USAGE } from "../command.js";

// Placeholder until the issue that owns 'gc' lands.
const command: Command = {
  summary: "dramake gc (not built yet)",
  usage: "dramake gc [dir]",
  async run() {
    process.stderr.write("dramake gc: not built yet\n");
    return EXIT_USAGE;
  },
};
export default command;

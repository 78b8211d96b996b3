import type { Command } from "../command.js";
import { EXIT_USAGE } from "../command.js";

// Placeholder until the issue that owns 'watch' lands.
const command: Command = {
  summary: "dramake watch (not built yet)",
  usage: "dramake watch [dir]",
  async run() {
    process.stderr.write("dramake watch: not built yet\n");
    return EXIT_USAGE;
  },
};
export default command;

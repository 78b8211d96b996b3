import type { Command } from "../command.js";
import { EXIT_USAGE } from "../command.js";

// Placeholder until the issue that owns 'graph' lands.
const command: Command = {
  summary: "dramake graph (not built yet)",
  usage: "dramake graph [dir]",
  async run() {
    process.stderr.write("dramake graph: not built yet\n");
    return EXIT_USAGE;
  },
};
export default command;

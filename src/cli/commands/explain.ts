import type { Command } from "../command.js";
import { EXIT_USAGE } from "../command.js";

// Placeholder until the issue that owns 'explain' lands.
const command: Command = {
  summary: "dramake explain (not built yet)",
  usage: "dramake explain [dir]",
  async run() {
    process.stderr.write("dramake explain: not built yet\n");
    return EXIT_USAGE;
  },
};
export default command;

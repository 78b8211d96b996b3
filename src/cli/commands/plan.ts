import type { Command } from "../command.js";
import { EXIT_USAGE } from "../command.js";

// Placeholder until the issue that owns 'plan' lands.
const command: Command = {
  summary: "dramake plan (not built yet)",
  usage: "dramake plan [dir]",
  async run() {
    process.stderr.write("dramake plan: not built yet\n");
    return EXIT_USAGE;
  },
};
export default command;

import type { Command } from "../command.js";
import { EXIT_USAGE } from "../command.js";

// Placeholder until the issue that owns 'preview' lands.
const command: Command = {
  summary: "dramake preview (not built yet)",
  usage: "dramake preview [dir]",
  async run() {
    process.stderr.write("dramake preview: not built yet\n");
    return EXIT_USAGE;
  },
};
export default command;

import type { Command } from "../command.js";
import { EXIT_USAGE } from "../command.js";

// Placeholder until the issue that owns 'build' lands.
const command: Command = {
  summary: "dramake build (not built yet)",
  usage: "dramake build [dir]",
  async run() {
    process.stderr.write("dramake build: not built yet\n");
    return EXIT_USAGE;
  },
};
export default command;

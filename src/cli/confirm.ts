/**
 * Asking before spending: a yes/no question on the terminal. Only where a
 * person can answer (stdin and stderr both terminals); a pipe, CI or a
 * closed stdin is never asked, so nothing waits for an answer that cannot
 * come: the caller refuses instead and names `--yes`.
 */
import { createInterface } from "node:readline";

export function canAsk(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): boolean {
  return Boolean(input.isTTY && output.isTTY);
}

/** "question [y/N] ": true only for y or yes; Enter, anything else, Ctrl-C or Ctrl-D is no. */
export function confirm(question: string, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = createInterface({ input, output, terminal: canAsk() });
    let answered = false;
    const done = (yes: boolean) => {
      if (answered) return;
      answered = true;
      rl.close();
      resolve(yes);
    };
    // readline swallows Ctrl-C on a terminal: without this the question would wait for ever.
    rl.on("SIGINT", () => {
      output.write("\n");
      done(false);
    });
    rl.on("close", () => done(false));
    rl.question(`${question} [y/N] `, (answer) => done(/^\s*y(es)?\s*$/i.test(answer)));
  });
}

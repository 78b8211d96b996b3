/** What every `src/cli/commands/<name>.ts` exports. */
export interface Command {
  readonly summary: string;
  readonly usage: string;
  /** Returns the process exit code: 0 ok, 1 a step failed, 2 bad project or usage. */
  run(argv: readonly string[]): Promise<number>;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

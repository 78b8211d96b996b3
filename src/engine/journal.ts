/**
 * A step's durable journal (StepContext.journal): small strings such as a
 * remote job id, one JSON file per key under `.dramake/journal/`, rewritten
 * atomically on every set. A build killed while a paid job runs finds the job
 * id here next time and can resume it instead of paying again.
 */
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic.js";

export class Journal {
  private constructor(
    private readonly file: string,
    private readonly entries: Record<string, string>,
  ) {}

  static async open(dir: string, key: string): Promise<Journal> {
    const file = join(dir, `${key}.json`);
    let entries: Record<string, string> = {};
    try {
      entries = JSON.parse(await readFile(file, "utf8")) as Record<string, string>;
    } catch {
      // Nothing journaled yet.
    }
    return new Journal(file, entries);
  }

  get(name: string): string | undefined {
    return Object.hasOwn(this.entries, name) ? this.entries[name] : undefined;
  }

  async set(name: string, value: string): Promise<void> {
    this.entries[name] = value;
    await writeFileAtomic(this.file, JSON.stringify(this.entries));
  }

  snapshot(): Record<string, string> {
    return { ...this.entries };
  }

  /** Once the result is in the action cache the journal has served its purpose. */
  async remove(): Promise<void> {
    await rm(this.file, { force: true });
  }
}

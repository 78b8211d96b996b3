/** The JournalStore of a local build: one file per key under `.dramake/journal/` (journal.ts). */
import { Journal } from "../journal.js";
import type { JournalStore, StepJournal } from "./types.js";

export class FileJournalStore implements JournalStore {
  constructor(private readonly dir: string) {}

  open(key: string): Promise<StepJournal> {
    return Journal.open(this.dir, key);
  }
}

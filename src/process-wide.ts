/**
 * A process-wide slot for a seam (the command runner, the disk) that tests
 * replace. It lives on globalThis under a registered symbol, not in a module
 * variable: the CLI is bundled (scripts/bundle-cli.mjs), so a module can exist
 * in more than one copy in a process, and a value set through one copy (a
 * test's `node --import` preload loads dist/…) must be the one every copy uses.
 */
export interface ProcessWide<T> {
  get(): T;
  /** Replace the value, returning the previous one so it can be put back. */
  set(next: T): T;
}

export function processWide<T>(name: string, fallback: T): ProcessWide<T> {
  const key = Symbol.for(name);
  const slots = globalThis as unknown as Record<symbol, T | undefined>;
  return {
    get: () => slots[key] ?? fallback,
    set(next) {
      const previous = slots[key] ?? fallback;
      slots[key] = next;
      return previous;
    },
  };
}

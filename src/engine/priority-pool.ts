/**
 * A concurrency pool that, when a slot frees, starts the waiting task with
 * the highest priority (ties: the one that came first), where p-limit starts
 * the oldest. The build gives each step the length of the longest path from
 * it to the end of the graph (`criticalPath`), as ninja does since 1.12: the
 * long cut of a scene starts before a short one, and a step that gates the
 * longest chain is not left queued behind work nothing waits for.
 */
import type { CheckedGraph } from "./graph.js";
import type { StepSpec } from "./step.js";

interface Waiting {
  readonly priority: number;
  readonly seq: number;
  readonly start: () => void;
}

export class PriorityPool {
  private running = 0;
  private seq = 0;
  /** A binary max-heap on (priority, then earliest seq). */
  private readonly heap: Waiting[] = [];

  constructor(readonly size: number) {}

  run<T>(priority: number, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.running++;
        task()
          .then(resolve, reject)
          .finally(() => {
            this.running--;
            this.next();
          });
      };
      this.push({ priority, seq: this.seq++, start });
      this.next();
    });
  }

  /** Tasks waiting for a slot. */
  get pending(): number {
    return this.heap.length;
  }

  private next(): void {
    while (this.running < this.size && this.heap.length > 0) this.pop().start();
  }

  private before(a: Waiting, b: Waiting): boolean {
    return a.priority !== b.priority ? a.priority > b.priority : a.seq < b.seq;
  }

  private push(w: Waiting): void {
    const h = this.heap;
    h.push(w);
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): Waiting {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < h.length && this.before(h[l]!, h[best]!)) best = l;
        if (r < h.length && this.before(h[r]!, h[best]!)) best = r;
        if (best === i) break;
        [h[i], h[best]] = [h[best]!, h[i]!];
        i = best;
      }
    }
    return top;
  }
}

/** What a step without a `weight` counts for on a path. */
export const DEFAULT_WEIGHT = 1;

/**
 * Each step's weight plus the heaviest path through the steps that read it,
 * to the end of the graph. `order` is topological (inputs first), so walking
 * it backwards meets every dependent before the step it reads.
 */
export function criticalPath(graph: Pick<CheckedGraph, "order" | "dependents">): Map<string, number> {
  const rank = new Map<string, number>();
  for (let i = graph.order.length - 1; i >= 0; i--) {
    const step: StepSpec = graph.order[i]!;
    let after = 0;
    for (const d of graph.dependents.get(step.id) ?? []) after = Math.max(after, rank.get(d) ?? 0);
    rank.set(step.id, (step.weight ?? DEFAULT_WEIGHT) + after);
  }
  return rank;
}

import type { KnowledgeState } from './store.js';

/**
 * Simulated knowledge indexing: an item is `pending`, then `indexing` halfway through the delay,
 * then `indexed` (or `failed` for a webpage on a `.invalid` host, which cannot be fetched).
 * Only indexed items reach the agent.
 */
export class Indexer {
  private readonly timers = new Set<NodeJS.Timeout>();
  /** The latest indexing run per item: a re-index supersedes a run still in progress. */
  private readonly runs = new WeakMap<KnowledgeState, number>();

  constructor(
    private readonly delayMs: number,
    private readonly now: () => number,
  ) {}

  schedule(item: KnowledgeState): void {
    item.status = 'pending';
    item.indexed_at = null;
    item.error = null;
    const run = (this.runs.get(item) ?? 0) + 1;
    this.runs.set(item, run);
    if (this.delayMs <= 0) {
      this.finish(item);
      return;
    }
    const current = () => this.runs.get(item) === run;
    this.later(this.delayMs / 2, () => {
      if (current() && item.status === 'pending') item.status = 'indexing';
    });
    this.later(this.delayMs, () => {
      if (current()) this.finish(item);
    });
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private finish(item: KnowledgeState): void {
    if (item.url && new URL(item.url).hostname.endsWith('.invalid')) {
      item.status = 'failed';
      item.error = 'The page could not be fetched (DNS lookup failed).';
      return;
    }
    item.status = 'indexed';
    item.indexed_at = this.now();
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }
}

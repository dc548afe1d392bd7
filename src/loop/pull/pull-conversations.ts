import type { KlaviyoClient } from '../../klaviyo/index.js';
import { filter } from '../../klaviyo/index.js';
import type { CheckpointStore, SnapshotStore, SnapshotVersion } from '../../store/index.js';
import { FINAL_STATUSES } from '../../domain/snapshot.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../time.js';
import { FetchPlan } from './fetch-plan.js';

export interface PullProgress {
  listed: number;
  /** Pages listed so far. */
  pages: number;
  /** True once the listing has reached the end of the window. */
  listingDone: boolean;
  /** Conversations whose messages this run fetched, `fetchedEarlier` included. */
  fetched: number;
  /**
   * Of `fetched`, those an earlier attempt of this run fetched and stored (the run was retried
   * after a failure or a crash): this attempt finds them stored and does not fetch them again.
   */
  fetchedEarlier: number;
  /** Message fetches this run makes, `fetchedEarlier` included: known once the listing is done. */
  toFetch: number | null;
  /** Final conversations left for the following runs (over this run's budget). */
  deferred: number;
}

export interface PullSummary extends PullProgress {
  /** Final-state conversations whose `updated_at` an earlier run stored: no call spent. */
  unchanged: number;
  /** Still open: listed again next time, fetched once final. */
  open: number;
  /**
   * Snapshots handed to the diagnoser: new or changed ones, and stored ones never handed to it (a
   * pull that stopped before doing so stored them).
   */
  changed: number;
  /** Where the listing started. */
  from: string;
  /** The checkpoint written for the next pull. */
  checkpoint: string | null;
}

export interface IncrementalPullOptions {
  accountId: string;
  client: KlaviyoClient;
  checkpoints: CheckpointStore;
  snapshots: SnapshotStore;
  /**
   * The run this pull belongs to, the same in each of its attempts (the job's run): stored with
   * each snapshot it fetches, so a retried run still counts what its earlier attempts fetched.
   */
  runId: string;
  /**
   * Hands a batch of `changed` to the diagnoser (enqueues its jobs). Called before the checkpoint
   * moves and before the snapshots are marked as handed over, so a pull stopped at any point
   * leaves no stored snapshot undiagnosed: its retry, or the next pull, hands them over again.
   */
  handOff: (changed: SnapshotVersion[]) => Promise<void>;
  /** Start here instead of the checkpoint (e.g. `run --since 24h`). */
  since?: Date;
  /** Listed again behind the checkpoint, for conversations that finished late. */
  overlapMinutes: number;
  /** Without a checkpoint or `since`, how far back the first pull reaches. */
  initialDays?: number;
  /**
   * Message fetches this run may make (`PULL_MAX_CONVERSATIONS`), over all its attempts; the rest
   * wait for the following runs, failures first. @defaultValue unlimited
   */
  maxConversations?: number;
  /** Message fetches in flight at once; the client's rate limiter sets the pace. */
  concurrency?: number;
  /** An open conversation older than this is taken as abandoned and no longer holds the checkpoint. */
  maxOpenAgeHours?: number;
  now?: () => Date;
  onProgress?: (progress: PullProgress) => void;
}

/** Fetches handed to the diagnoser at once while fetching (as one listed page was). */
const HAND_OFF_BATCH = 100;

/**
 * One incremental pull of an account's conversations. The API filters only on `created_at`, so
 * the listing starts at the checkpoint less an overlap; each message fetch costs one call of the
 * 60-a-minute conversations group, so it is spent only on final-state conversations that are new
 * or whose `updated_at` changed, failures first (see fetch-plan.ts) and at most
 * `maxConversations` per run. The next checkpoint stops at the oldest conversation still open or
 * left for a later run, so both are listed again until they are fetched.
 */
export async function pullIncremental(options: IncrementalPullOptions): Promise<PullSummary> {
  const { accountId, client, snapshots, runId } = options;
  const now = options.now ?? (() => new Date());
  const checkpoint = await options.checkpoints.get(accountId, 'conversations');
  const from =
    options.since ??
    (checkpoint
      ? new Date(Date.parse(checkpoint.lastCreatedAt) - options.overlapMinutes * MINUTE_MS)
      : new Date(now().getTime() - (options.initialDays ?? 30) * DAY_MS));

  const summary: PullSummary = {
    listed: 0,
    pages: 0,
    listingDone: false,
    fetched: 0,
    fetchedEarlier: 0,
    toFetch: null,
    deferred: 0,
    unchanged: 0,
    open: 0,
    changed: 0,
    from: from.toISOString(),
    checkpoint: null,
  };
  const progress = () => options.onProgress?.(progressOf(summary));
  let newest: string | null = null;
  let oldestOpen: string | null = null;
  const abandonedBefore = new Date(
    now().getTime() - (options.maxOpenAgeHours ?? 72) * HOUR_MS,
  ).toISOString();
  const plan = new FetchPlan(options.maxConversations ?? Infinity);

  const listing = client.conversations.list({
    filter: filter().greaterOrEqual('created_at', from),
    pageSize: 100,
  });
  for await (const page of listing.pages()) {
    summary.listed += page.items.length;
    summary.pages += 1;
    const known = await snapshots.knownUpdatedAt(
      accountId,
      page.items.map((c) => c.id),
    );
    const stored: SnapshotVersion[] = [];
    for (const conversation of page.items) {
      const { status, created_at: createdAt, updated_at: updatedAt } = conversation.attributes;
      if (!newest || createdAt > newest) newest = createdAt;
      if (!FINAL_STATUSES.has(status)) {
        summary.open += 1;
        const holdsCheckpoint = createdAt >= abandonedBefore;
        if (holdsCheckpoint && (!oldestOpen || createdAt < oldestOpen)) oldestOpen = createdAt;
      } else if (known.get(conversation.id) === updatedAt) {
        stored.push({ id: conversation.id, updatedAt });
      } else {
        plan.add(conversation);
      }
    }
    // Fetched by an earlier attempt of this run: the run brought them in, and spent its budget.
    const fetchedEarlier = (await snapshots.fetchedByRun(accountId, runId, stored)).length;
    summary.fetched += fetchedEarlier;
    summary.fetchedEarlier += fetchedEarlier;
    summary.unchanged += stored.length - fetchedEarlier;
    plan.spent(fetchedEarlier);
    // Stored by a pull that stopped before handing them over.
    await handOver(options, summary, await snapshots.unoffered(accountId, stored));
    progress();
  }

  const { selected, deferred, oldestDeferred } = plan.take();
  summary.listingDone = true;
  summary.toFetch = summary.fetchedEarlier + selected.length;
  summary.deferred = deferred;
  progress();
  // In batches: diagnosis starts while the pull goes on, and a stopped pull loses little.
  for (let i = 0; i < selected.length; i += HAND_OFF_BATCH) {
    const changed: SnapshotVersion[] = [];
    await forEachConcurrently(
      selected.slice(i, i + HAND_OFF_BATCH),
      options.concurrency ?? 3,
      async (conversation) => {
        const messages = await client.conversations.messages(conversation.id).toArray();
        const change = await snapshots.putIfChanged(accountId, { conversation, messages }, runId);
        summary.fetched += 1;
        const version = { id: conversation.id, updatedAt: conversation.attributes.updated_at };
        // Unchanged here: stored meanwhile (another pull, or a write resent after a reconnect).
        if (change === 'unchanged') {
          changed.push(...(await snapshots.unoffered(accountId, [version])));
        } else {
          changed.push(version);
        }
        progress();
      },
    );
    await handOver(options, summary, changed);
  }

  const next = earliest(oldestOpen, oldestDeferred) ?? newest;
  if (next) {
    await options.checkpoints.advance(
      accountId,
      { lastCreatedAt: next, pending: summary.deferred },
      'conversations',
    );
    summary.checkpoint = next;
  }
  return summary;
}

async function handOver(
  options: IncrementalPullOptions,
  summary: PullSummary,
  changed: SnapshotVersion[],
): Promise<void> {
  if (changed.length === 0) return;
  await options.handOff(changed);
  await options.snapshots.markOffered(options.accountId, changed);
  summary.changed += changed.length;
}

function progressOf(summary: PullSummary): PullProgress {
  const { listed, pages, listingDone, fetched, fetchedEarlier, toFetch, deferred } = summary;
  return { listed, pages, listingDone, fetched, fetchedEarlier, toFetch, deferred };
}

function earliest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

/** Runs `work` over `items` with at most `limit` in flight; the first failure is rethrown. */
export async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

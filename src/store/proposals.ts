import { AppError, RequestValidationError } from '../errors.js';
import type { Patch } from '../patches/patch.js';
import { placeholdersInPatch } from '../domain/placeholders.js';
import { mergeAttribution } from '../domain/attribution.js';
import {
  PROPOSAL_STATUSES,
  PROPOSAL_TRANSITIONS,
  ProposalSchema,
  type Proposal,
  type ProposalStatus,
} from '../domain/proposal.js';
import type { RedisConnection } from '../redis.js';
import { auditStreamKey, auditXaddArgs, type AuditEntry, type AuditEventType } from './audit.js';
import { LuaScript, storePrefix, type StoreOptions } from './keys.js';
import {
  DECIDED_STATUSES,
  ensureIndexes,
  ProposalIndexKeys,
  replies,
  retireDecided,
} from './proposal-index.js';
import { DAY_MS } from '../time.js';
import {
  ProposalChangedError,
  ProposalNotFoundError,
  ProposalStateError,
} from './proposal-errors.js';

export {
  ProposalChangedError,
  ProposalNotFoundError,
  ProposalStateError,
} from './proposal-errors.js';
export { canonicalJson, proposalIdFrom } from './proposal-id.js';

/**
 * Proposals with their lifecycle (see src/domain/proposal.ts). Each proposal is a hash holding its
 * JSON, its status and a version; `transition` is a compare-and-set on the version in a Lua
 * script that also moves the id between the sorted-set indexes (proposal-index.ts) and appends the
 * audit entry, so two racing approvals (Slack and web at once, a double-click) yield exactly one
 * winner, and the loser learns who won. Listings read a page of one index, never every proposal;
 * decided proposals are retired after a retention period (their audit entries stay).
 */

export interface TransitionInput {
  /** The status(es) the caller expects the proposal to be in. */
  from: ProposalStatus | readonly ProposalStatus[];
  to: ProposalStatus;
  /** `slack:U123`, `web:alice`, `cli:ops`, or `system`. */
  actor: string;
  note?: string;
  /**
   * The revision the actor was shown: checked inside the compare-and-set, so an edit landing
   * between their read and this write makes it fail with ProposalChangedError.
   */
  revision?: number;
  /** A person's edit of a pending proposal (`pending` → `pending` only); adds one to `revision`. */
  patch?: Patch;
  /** The re-rendered diff for an edited patch. */
  diff?: string;
  /** Merged into `proposal.result` (apply outcome, replay numbers). */
  result?: Proposal['result'];
  /** Merged into `proposal.attribution` (`mergeAttribution`: fields replaced, `sharedWith` added to). */
  attribution?: Proposal['attribution'];
  /** Extra audit fields (before/after of a write); `false` skips the audit entry. */
  audit?: Pick<AuditEntry, 'before' | 'after' | 'detail'> | false;
}

export interface ProposalListFilter {
  accountId?: string;
  status?: ProposalStatus | readonly ProposalStatus[];
  /** Newest first; at most this many. @defaultValue 500 */
  limit?: number;
  /** Only proposals created before this time. */
  createdBefore?: Date;
}

export interface ProposalPageQuery {
  accountId?: string;
  status?: ProposalStatus;
  /** Only proposals created at or after this time. */
  createdSince?: Date;
  /** Only proposals created before this time. */
  createdBefore?: Date;
  /** Proposals to skip, newest first. @defaultValue 0 */
  offset?: number;
  /** @defaultValue 50 */
  limit?: number;
}

/** One page of a listing, and how many proposals the whole listing has. */
export interface ProposalPage {
  proposals: Proposal[];
  total: number;
  offset: number;
  limit: number;
}

export interface ProposalStoreOptions extends StoreOptions {
  /** Days a decided proposal is kept after its decision (its audit entries stay). @defaultValue 180 */
  retentionDays?: number;
}

/** Which audit event a transition to a status records (none for `applying` and `expired`). */
const AUDIT_TYPE: Partial<Record<ProposalStatus, AuditEventType>> = {
  approved: 'approved',
  rejected: 'rejected',
  applied: 'applied',
  conflict: 'conflict',
  failed: 'failed',
  reverted: 'reverted',
  pending: 'edited',
};

// KEYS: proposal, all, by-status, by-account, by-account-status. ARGV: id, json, status, createdMs.
const CREATE = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'status', ARGV[3], 'version', '1')
for i = 2, 5 do redis.call('ZADD', KEYS[i], ARGV[4], ARGV[1]) end
return 1
`);

// KEYS: proposal, all, old by-status, new by-status, old by-account-status, new
// by-account-status, decided, audit stream.
// ARGV: expected version, json, new status, id, now ms, '1' if decided, '1' to audit, XADD args.
const TRANSITION = new LuaScript(`
local version = redis.call('HGET', KEYS[1], 'version')
if not version then return -1 end
if version ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'status', ARGV[3], 'version', tostring(tonumber(version) + 1))
local score = redis.call('ZSCORE', KEYS[2], ARGV[4]) or '0'
redis.call('ZREM', KEYS[3], ARGV[4])
redis.call('ZADD', KEYS[4], score, ARGV[4])
redis.call('ZREM', KEYS[5], ARGV[4])
redis.call('ZADD', KEYS[6], score, ARGV[4])
if ARGV[6] == '1' then redis.call('ZADD', KEYS[7], ARGV[5], ARGV[4]) else redis.call('ZREM', KEYS[7], ARGV[4]) end
if ARGV[7] == '1' then redis.call('XADD', KEYS[8], unpack(ARGV, 8)) end
return 1
`);

/** Compare-and-set attempts before giving up under heavy contention (retryable). */
const MAX_CAS_ATTEMPTS = 20;

export class ProposalStore {
  private readonly prefix: string;
  private readonly keys: ProposalIndexKeys;
  private readonly now: () => Date;
  private readonly retentionMs: number;

  constructor(
    private readonly redis: RedisConnection,
    options: ProposalStoreOptions = {},
  ) {
    this.prefix = storePrefix(options);
    this.keys = new ProposalIndexKeys(this.prefix);
    this.now = options.now ?? (() => new Date());
    const days = options.retentionDays ?? 180;
    if (!(days >= 1)) throw new RequestValidationError('retentionDays must be at least 1');
    this.retentionMs = days * DAY_MS;
  }

  /** Stores a new proposal; if one with this id exists, returns it unchanged instead. */
  async create(proposal: Proposal): Promise<{ proposal: Proposal; created: boolean }> {
    const valid = ProposalSchema.parse(proposal);
    const created = await CREATE.run(
      this.redis,
      [
        this.keys.proposal(valid.id),
        this.keys.all(),
        this.keys.status(valid.status),
        this.keys.account(valid.accountId),
        this.keys.accountStatus(valid.accountId, valid.status),
      ],
      [valid.id, JSON.stringify(valid), valid.status, Date.parse(valid.createdAt) || 0],
    );
    if (created === 1) return { proposal: valid, created: true };
    return { proposal: await this.mustGet(valid.id), created: false };
  }

  async get(id: string): Promise<Proposal | null> {
    const json = await this.redis.hget(this.keys.proposal(id), 'json');
    return json === null ? null : ProposalSchema.parse(JSON.parse(json));
  }

  /**
   * Proposals matching the filter, newest first: the first `limit` of each status's index, merged,
   * so the cost grows with `limit`, not with the number of proposals.
   */
  async list(filter: ProposalListFilter = {}): Promise<Proposal[]> {
    const limit = filter.limit ?? 500;
    if (limit <= 0) return [];
    const statuses = filter.status === undefined ? [undefined] : [filter.status].flat();
    const pipeline = this.redis.pipeline();
    const before =
      filter.createdBefore === undefined ? '+inf' : `(${filter.createdBefore.getTime()}`;
    for (const status of statuses) {
      const key = this.keys.listing(filter.accountId, status);
      pipeline.zrevrangebyscore(key, before, '-inf', 'WITHSCORES', 'LIMIT', 0, limit);
    }
    const scored = replies<string[]>(await pipeline.exec()).flatMap((flat) => {
      const pairs: { id: string; score: number }[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        pairs.push({ id: flat[i] ?? '', score: Number(flat[i + 1]) });
      }
      return pairs;
    });
    scored.sort((a, b) => b.score - a.score || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    return this.readAll(scored.slice(0, limit).map((p) => p.id));
  }

  /**
   * One page of the proposals of an account and/or status (and creation window), newest first,
   * with the total.
   */
  async page(query: ProposalPageQuery = {}): Promise<ProposalPage> {
    const offset = Math.max(0, Math.floor(query.offset ?? 0));
    const limit = Math.max(1, Math.floor(query.limit ?? 50));
    const key = this.keys.listing(query.accountId, query.status);
    const max = query.createdBefore === undefined ? '+inf' : `(${query.createdBefore.getTime()}`;
    const min = query.createdSince === undefined ? '-inf' : String(query.createdSince.getTime());
    const [ids, total] = await Promise.all([
      this.redis.zrevrangebyscore(key, max, min, 'LIMIT', offset, limit),
      this.redis.zcount(key, min, max),
    ]);
    return { proposals: await this.readAll(ids), total, offset, limit };
  }

  /** How many proposals are in each status (all accounts), without reading them. */
  async countByStatus(): Promise<Record<ProposalStatus, number>> {
    const pipeline = this.redis.pipeline();
    for (const status of PROPOSAL_STATUSES) pipeline.zcard(this.keys.status(status));
    const counts = replies<number>(await pipeline.exec());
    return Object.fromEntries(
      PROPOSAL_STATUSES.map((status, i) => [status, Number(counts[i] ?? 0)]),
    ) as Record<ProposalStatus, number>;
  }

  /**
   * Retires proposals decided more than the retention period ago (at most `max` per call): the
   * proposal, its index entries, write intent and Slack message record go; its audit entries stay. A proposal that
   * was moved on meanwhile (an applied one reverted) is kept. Returns the ids retired.
   */
  async retireDecided(max = 2500): Promise<string[]> {
    return retireDecided(this.redis, this.keys, this.now().getTime() - this.retentionMs, max);
  }

  /**
   * Builds the indexes of this version from whatever the store holds (the sets of earlier
   * versions), once: a marker records it. Reads every proposal, so it runs at start-up.
   */
  async ensureIndexes(): Promise<{ rebuilt: number }> {
    return ensureIndexes(this.redis, this.keys);
  }

  /**
   * Moves a proposal to `to` if it is currently in one of `from` and the move is allowed by
   * PROPOSAL_TRANSITIONS; appends the event to its history and the audit log atomically.
   * @throws ProposalStateError when it is in another status (e.g. already approved by someone)
   * @throws ProposalChangedError when `input.revision` is given and the proposal is at another
   * @throws ProposalNotFoundError when there is no such proposal
   */
  /**
   * Records what was learned about an applied proposal later (its replay, regression check,
   * impact, a shared attribution): a `system` history entry, merged into `result` and
   * `attribution`, with no status change and no audit entry. The note is what Slack's thread says.
   */
  recordOnApplied(
    id: string,
    record: Pick<TransitionInput, 'result' | 'attribution'> & { note: string },
  ): Promise<Proposal> {
    return this.transition(id, {
      from: 'applied',
      to: 'applied',
      actor: 'system',
      audit: false,
      ...record,
    });
  }

  async transition(id: string, input: TransitionInput): Promise<Proposal> {
    const from: readonly ProposalStatus[] =
      typeof input.from === 'string' ? [input.from] : input.from;
    if (input.patch !== undefined && input.to !== 'pending') {
      throw new ProposalStateError(
        `Proposal ${id}: a patch can only be edited while pending (pending → pending).`,
        { proposalId: id, requested: input.to },
      );
    }
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt += 1) {
      const current = await this.read(id);
      assertTransition(current.proposal, from, input.to);
      ProposalChangedError.assertAt(current.proposal, input.revision);
      const next = this.apply(current.proposal, input);
      const audit = this.auditFor(current.proposal, next, input);
      const { accountId } = next;
      const reply = await TRANSITION.run(
        this.redis,
        [
          this.keys.proposal(id),
          this.keys.all(),
          this.keys.status(current.proposal.status),
          this.keys.status(next.status),
          this.keys.accountStatus(accountId, current.proposal.status),
          this.keys.accountStatus(accountId, next.status),
          this.keys.decided(),
          auditStreamKey(this.prefix),
        ],
        [
          current.version,
          JSON.stringify(next),
          next.status,
          id,
          Date.parse(next.updatedAt) || 0,
          DECIDED_STATUSES.includes(next.status) ? '1' : '0',
          audit ? '1' : '0',
          ...(audit ? auditXaddArgs(audit, undefined) : []),
        ],
      );
      if (reply === 1) return next;
      if (reply === -1) throw new ProposalNotFoundError(id);
      // Someone else changed it between our read and write: re-read and re-check.
    }
    throw new AppError(`Proposal ${id} is changing too often to update; try again.`, {
      code: 'proposal_busy',
      retryable: true,
    });
  }

  /** The proposals of `ids`, in that order (ids retired meanwhile are skipped). */
  private async readAll(ids: readonly string[]): Promise<Proposal[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hget(this.keys.proposal(id), 'json');
    return replies<string | null>(await pipeline.exec()).flatMap((json) =>
      typeof json === 'string' ? [ProposalSchema.parse(JSON.parse(json))] : [],
    );
  }

  private async read(id: string): Promise<{ proposal: Proposal; version: string }> {
    const [json, version] = await this.redis.hmget(this.keys.proposal(id), 'json', 'version');
    if (!json || !version) throw new ProposalNotFoundError(id);
    return { proposal: ProposalSchema.parse(JSON.parse(json)), version };
  }

  private async mustGet(id: string): Promise<Proposal> {
    return (await this.read(id)).proposal;
  }

  private apply(proposal: Proposal, input: TransitionInput): Proposal {
    const at = this.now().toISOString();
    return ProposalSchema.parse({
      ...proposal,
      status: input.to,
      updatedAt: at,
      patch: input.patch ?? proposal.patch,
      diff: input.diff ?? proposal.diff,
      revision: input.patch === undefined ? proposal.revision : proposal.revision + 1,
      // An edit that fills placeholders must not leave them listed as still to fill.
      placeholders:
        input.patch === undefined ? proposal.placeholders : placeholdersInPatch(input.patch),
      result:
        input.result === undefined ? proposal.result : { ...proposal.result, ...input.result },
      attribution:
        input.attribution === undefined
          ? proposal.attribution
          : mergeAttribution(proposal.attribution, input.attribution),
      history: [
        ...proposal.history,
        {
          at,
          status: input.to,
          actor: input.actor,
          ...(input.note === undefined ? {} : { note: input.note }),
        },
      ],
    });
  }

  private auditFor(before: Proposal, after: Proposal, input: TransitionInput): AuditEntry | null {
    const type = AUDIT_TYPE[input.to];
    if (type === undefined || input.audit === false) return null;
    const extra = input.audit ?? {};
    const edited = type === 'edited' ? { before: before.patch, after: after.patch } : {};
    const detail = extra.detail ?? input.note;
    return {
      type,
      proposalId: after.id,
      accountId: after.accountId,
      actor: input.actor,
      at: after.updatedAt,
      ...edited,
      ...(extra.before === undefined ? {} : { before: extra.before }),
      ...(extra.after === undefined ? {} : { after: extra.after }),
      ...(detail === undefined ? {} : { detail }),
    };
  }
}

function assertTransition(
  proposal: Proposal,
  from: readonly ProposalStatus[],
  to: ProposalStatus,
): void {
  const current = proposal.status;
  if (from.includes(current) && PROPOSAL_TRANSITIONS[current].includes(to)) return;
  throw ProposalStateError.refused(proposal, to, from.includes(current) ? 'illegal' : 'moved');
}

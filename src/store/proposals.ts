import { AppError } from '../errors.js';
import type { Patch } from '../patches/patch.js';
import { placeholdersInPatch } from '../domain/placeholders.js';
import {
  PROPOSAL_STATUSES,
  PROPOSAL_TRANSITIONS,
  ProposalSchema,
  type Proposal,
  type ProposalStatus,
} from '../domain/proposal.js';
import type { RedisConnection } from '../redis.js';
import { auditStreamKey, auditXaddArgs, type AuditEntry, type AuditEventType } from './audit.js';
import { controlKey, LuaScript, storePrefix, type StoreOptions } from './keys.js';
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
 * script that also moves the id between per-status index sets and appends the audit entry, so
 * two racing approvals (Slack and web at once, a double-click) yield exactly one winner, and the
 * loser learns who won.
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
  /** Extra audit fields (before/after of a write); `false` skips the audit entry. */
  audit?: Pick<AuditEntry, 'before' | 'after' | 'detail'> | false;
}

export interface ProposalListFilter {
  accountId?: string;
  status?: ProposalStatus | readonly ProposalStatus[];
  /** Newest first; at most this many. @defaultValue 500 */
  limit?: number;
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

// KEYS: proposal, status set, account set, all (zset). ARGV: id, json, status, createdMs.
const CREATE = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'status', ARGV[3], 'version', '1')
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1])
return 1
`);

// KEYS: proposal, old status set, new status set, audit stream.
// ARGV: expected version, json, new status, id, '1' to audit, then the XADD arguments.
const TRANSITION = new LuaScript(`
local version = redis.call('HGET', KEYS[1], 'version')
if not version then return -1 end
if version ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'status', ARGV[3], 'version', tostring(tonumber(version) + 1))
redis.call('SREM', KEYS[2], ARGV[4])
redis.call('SADD', KEYS[3], ARGV[4])
if ARGV[5] == '1' then redis.call('XADD', KEYS[4], unpack(ARGV, 6)) end
return 1
`);

/** Compare-and-set attempts before giving up under heavy contention (retryable). */
const MAX_CAS_ATTEMPTS = 20;

export class ProposalStore {
  private readonly prefix: string;
  private readonly now: () => Date;

  constructor(
    private readonly redis: RedisConnection,
    options: StoreOptions = {},
  ) {
    this.prefix = storePrefix(options);
    this.now = options.now ?? (() => new Date());
  }

  /** Stores a new proposal; if one with this id exists, returns it unchanged instead. */
  async create(proposal: Proposal): Promise<{ proposal: Proposal; created: boolean }> {
    const valid = ProposalSchema.parse(proposal);
    const created = await CREATE.run(
      this.redis,
      [
        this.key(valid.id),
        this.statusKey(valid.status),
        this.accountKey(valid.accountId),
        this.allKey(),
      ],
      [valid.id, JSON.stringify(valid), valid.status, Date.parse(valid.createdAt) || 0],
    );
    if (created === 1) return { proposal: valid, created: true };
    return { proposal: await this.mustGet(valid.id), created: false };
  }

  async get(id: string): Promise<Proposal | null> {
    const json = await this.redis.hget(this.key(id), 'json');
    return json === null ? null : ProposalSchema.parse(JSON.parse(json));
  }

  /** Proposals matching the filter, newest first. */
  async list(filter: ProposalListFilter = {}): Promise<Proposal[]> {
    const ids = await this.listIds(filter);
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hget(this.key(id), 'json');
    const replies = (await pipeline.exec()) ?? [];
    const proposals = replies.flatMap(([error, json]) => {
      if (error) throw error;
      return typeof json === 'string' ? [ProposalSchema.parse(JSON.parse(json))] : [];
    });
    proposals.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
    return proposals.slice(0, filter.limit ?? 500);
  }

  /** How many proposals are in each status (all accounts), without reading them. */
  async countByStatus(): Promise<Record<ProposalStatus, number>> {
    const pipeline = this.redis.pipeline();
    for (const status of PROPOSAL_STATUSES) pipeline.scard(this.statusKey(status));
    const replies = (await pipeline.exec()) ?? [];
    const counts = {} as Record<ProposalStatus, number>;
    PROPOSAL_STATUSES.forEach((status, i) => {
      const [error, count] = replies[i] ?? [null, 0];
      if (error) throw error;
      counts[status] = Number(count);
    });
    return counts;
  }

  /**
   * Moves a proposal to `to` if it is currently in one of `from` and the move is allowed by
   * PROPOSAL_TRANSITIONS; appends the event to its history and the audit log atomically.
   * @throws ProposalStateError when it is in another status (e.g. already approved by someone)
   * @throws ProposalChangedError when `input.revision` is given and the proposal is at another
   * @throws ProposalNotFoundError when there is no such proposal
   */
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
      const reply = await TRANSITION.run(
        this.redis,
        [
          this.key(id),
          this.statusKey(current.proposal.status),
          this.statusKey(next.status),
          auditStreamKey(this.prefix),
        ],
        [
          current.version,
          JSON.stringify(next),
          next.status,
          id,
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

  private async listIds(filter: ProposalListFilter): Promise<string[]> {
    const statuses = filter.status === undefined ? undefined : [filter.status].flat();
    if (statuses === undefined && filter.accountId === undefined) {
      return this.redis.zrevrange(this.allKey(), 0, -1);
    }
    const byStatus =
      statuses === undefined
        ? undefined
        : new Set(await this.redis.sunion(...statuses.map((s) => this.statusKey(s))));
    if (filter.accountId === undefined) return [...(byStatus ?? [])];
    const byAccount = await this.redis.smembers(this.accountKey(filter.accountId));
    return byStatus === undefined ? byAccount : byAccount.filter((id) => byStatus.has(id));
  }

  private async read(id: string): Promise<{ proposal: Proposal; version: string }> {
    const [json, version] = await this.redis.hmget(this.key(id), 'json', 'version');
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

  private key(id: string): string {
    return controlKey(this.prefix, 'proposal', id);
  }

  private statusKey(status: ProposalStatus): string {
    return controlKey(this.prefix, 'proposals', 'status', status);
  }

  private accountKey(accountId: string): string {
    return controlKey(this.prefix, 'proposals', 'account', accountId);
  }

  private allKey(): string {
    return controlKey(this.prefix, 'proposals', 'all');
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

import { z } from 'zod';
import { RequestValidationError } from '../errors.js';
import type { RedisConnection } from '../redis.js';
import { controlKey, LuaScript, storePrefix, toMillis, type StoreOptions } from './keys.js';

/**
 * The append-only audit log: a Redis Stream that we never trim unless `maxLength` is configured.
 * Every approval decision and every write to Klaviyo lands here (who, when, before, after).
 * `ProposalStore.transition` appends in the same Lua script as the status change, so an approval
 * or an apply result cannot be recorded without its audit entry or vice versa.
 */

export const AUDIT_EVENT_TYPES = [
  'approved',
  'rejected',
  'applied',
  'conflict',
  'failed',
  'reverted',
  'edited',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export const AuditEntrySchema = z.object({
  type: z.enum(AUDIT_EVENT_TYPES),
  proposalId: z.string().min(1),
  accountId: z.string().min(1),
  /** `slack:U123`, `web:alice`, `cli:ops`, or `system`. */
  actor: z.string().min(1),
  at: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  detail: z.string().optional(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** An entry as read back, with its stream id (`<ms>-<seq>`, ordered). */
export type AuditRecord = AuditEntry & { id: string };

export interface AuditLogOptions extends StoreOptions {
  /** Approximate maximum entries kept; unset means never trimmed. */
  maxLength?: number;
}

/** The stream key (shared with the proposal store's transition script). */
export function auditStreamKey(prefix: string): string {
  return controlKey(prefix, 'audit');
}

/** XADD arguments after the key: trimming, `*`, and the fields of one entry. */
export function auditXaddArgs(entry: AuditEntry, maxLength: number | undefined): string[] {
  const trim = maxLength === undefined ? [] : ['MAXLEN', '~', String(maxLength)];
  return [
    ...trim,
    '*',
    'type',
    entry.type,
    'proposalId',
    entry.proposalId,
    'accountId',
    entry.accountId,
    'entry',
    JSON.stringify(entry),
  ];
}

// KEYS: guard, stream. ARGV: the XADD arguments. Returns { appended (0|1), stream id }.
const APPEND_ONCE = new LuaScript(`
local existing = redis.call('GET', KEYS[1])
if existing then return {0, existing} end
local id = redis.call('XADD', KEYS[2], unpack(ARGV))
redis.call('SET', KEYS[1], id)
return {1, id}
`);

export class AuditLog {
  private readonly prefix: string;
  private readonly maxLength: number | undefined;

  constructor(
    private readonly redis: RedisConnection,
    options: AuditLogOptions = {},
  ) {
    this.prefix = storePrefix(options);
    this.maxLength = options.maxLength;
  }

  /** Appends an entry; returns its stream id. */
  async append(entry: AuditEntry): Promise<string> {
    const valid = AuditEntrySchema.parse(entry);
    const [first, ...rest] = auditXaddArgs(valid, this.maxLength);
    const id = await this.redis.xadd(auditStreamKey(this.prefix), first ?? '*', ...rest);
    if (id === null) throw new Error('XADD returned no id');
    return id;
  }

  /**
   * Appends the entry only the first time `eventKey` is seen (e.g. `applied:<proposalId>`), so a
   * retried job never double-logs. The guard and the entry are written in one script.
   */
  async appendOnce(
    eventKey: string,
    entry: AuditEntry,
  ): Promise<{ id: string; appended: boolean }> {
    if (eventKey === '') throw new RequestValidationError('appendOnce needs an event key');
    const valid = AuditEntrySchema.parse(entry);
    const reply = await APPEND_ONCE.run(
      this.redis,
      [controlKey(this.prefix, 'audit-once', eventKey), auditStreamKey(this.prefix)],
      auditXaddArgs(valid, this.maxLength),
    );
    const [appended, id] = z.tuple([z.number(), z.string()]).parse(reply);
    return { id, appended: appended === 1 };
  }

  /** Entries oldest first, filtered; `since` is an ISO time (inclusive). */
  async list(
    filter: { proposalId?: string; accountId?: string; since?: string; limit?: number } = {},
  ): Promise<AuditRecord[]> {
    const limit = filter.limit ?? 1000;
    const key = auditStreamKey(this.prefix);
    const found: AuditRecord[] = [];
    let start = filter.since === undefined ? '-' : `${toMillis(filter.since, 'since')}-0`;
    for (;;) {
      const page = await this.redis.xrange(key, start, '+', 'COUNT', 500);
      for (const [id, fields] of page) {
        const record = decode(id, fields);
        if (filter.proposalId !== undefined && record.proposalId !== filter.proposalId) continue;
        if (filter.accountId !== undefined && record.accountId !== filter.accountId) continue;
        found.push(record);
        if (found.length >= limit) return found;
      }
      const last = page.at(-1);
      if (page.length < 500 || last === undefined) return found;
      start = `(${last[0]}`;
    }
  }
}

function decode(id: string, fields: string[]): AuditRecord {
  const at = fields.indexOf('entry');
  const json = at >= 0 && at % 2 === 0 ? fields[at + 1] : undefined;
  if (json === undefined) throw new Error(`audit entry ${id} has no "entry" field`);
  return { ...AuditEntrySchema.parse(JSON.parse(json)), id };
}

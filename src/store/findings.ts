import { z } from 'zod';
import { FindingSchema } from '../domain/finding.js';
import { ReproductionSchema } from '../domain/replay.js';
import type { RedisConnection } from '../redis.js';
import { accountKey, storePrefix, type StoreOptions } from './keys.js';

const LatestFindingsSchema = z.object({
  runId: z.string(),
  at: z.string(),
  window: z.object({ from: z.string(), to: z.string() }),
  /** Ranked by impact, highest first, as synthesis ranked them. */
  findings: z.array(FindingSchema),
  /** Findings not proposed because their failure did not happen again in a replay. */
  unreproduced: z
    .array(z.object({ findingId: z.string(), reproduction: ReproductionSchema }))
    .default([]),
});
/** An account's findings as its latest synthesis computed them. */
export type LatestFindings = z.infer<typeof LatestFindingsSchema>;
type LatestFindingsInput = z.input<typeof LatestFindingsSchema>;

/**
 * The findings of each account's latest synthesis run (replaced by the next run), so people and
 * scripts can read what the loop currently sees as failing, proposed or not.
 */
export class FindingStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisConnection,
    options: StoreOptions = {},
  ) {
    this.prefix = storePrefix(options);
  }

  async replace(accountId: string, latest: LatestFindingsInput): Promise<void> {
    const value = LatestFindingsSchema.parse(latest);
    await this.redis.set(this.key(accountId), JSON.stringify(value));
  }

  /** The latest run's findings of the account, or null before its first synthesis. */
  async latest(accountId: string): Promise<LatestFindings | null> {
    const json = await this.redis.get(this.key(accountId));
    return json === null ? null : LatestFindingsSchema.parse(JSON.parse(json));
  }

  private key(accountId: string): string {
    return accountKey(this.prefix, accountId, 'findings', 'latest');
  }
}

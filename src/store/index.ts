import type { RedisConnection } from '../redis.js';
import { WriteIntentStore } from './apply-lock.js';
import { AuditLog } from './audit.js';
import { CheckpointStore } from './checkpoints.js';
import { DiagnosisStore } from './diagnoses.js';
import { FindingStore } from './findings.js';
import { HeldDraftStore } from './held-drafts.js';
import type { StoreOptions } from './keys.js';
import { LlmSpendStore } from './llm-spend.js';
import { ProposalStore } from './proposals.js';
import { RegressionSuiteStore } from './regression-suite.js';
import { ReportStore } from './reports.js';
import { SlackMessageStore } from './slack-messages.js';
import { SnapshotStore } from './snapshots.js';

export * from './apply-lock.js';
export * from './audit.js';
export * from './checkpoints.js';
export * from './diagnoses.js';
export * from './findings.js';
export * from './held-drafts.js';
export { DEFAULT_STORE_PREFIX, storePrefix, type StoreOptions } from './keys.js';
export * from './llm-spend.js';
export * from './proposals.js';
export * from './regression-suite.js';
export * from './reports.js';
export * from './slack-messages.js';
export * from './snapshots.js';

export interface StoresOptions extends StoreOptions {
  /** Days kept after last seen. @defaultValue 30 */
  snapshotRetentionDays?: number;
  /** @defaultValue 30 */
  diagnosisRetentionDays?: number;
  /** @defaultValue 400 */
  reportRetentionDays?: number;
  /** Days a decided proposal is kept after its decision. @defaultValue 180 */
  proposalRetentionDays?: number;
  /** Approximate cap on audit entries; unset keeps them all. */
  auditMaxLength?: number;
  /** Regression-suite cases kept per account. @defaultValue 200 */
  regressionSuiteMaxCases?: number;
}

/** Every Redis-backed store of the loop on one connection, under one prefix. */
export interface Stores {
  checkpoints: CheckpointStore;
  snapshots: SnapshotStore;
  diagnoses: DiagnosisStore;
  reports: ReportStore;
  proposals: ProposalStore;
  audit: AuditLog;
  writeIntents: WriteIntentStore;
  /** LLM spend per account and day and per run, shared by every worker (budgets read it). */
  llmSpend: LlmSpendStore;
  /** Where each proposal's Slack message is, for updates and thread replies. */
  slackMessages: SlackMessageStore;
  /** Drafts synthesis held behind an undecided proposal on the same field. */
  heldDrafts: HeldDraftStore;
  /** Each account's findings as its latest synthesis computed them. */
  findings: FindingStore;
  /** Each account's regression suite: conversations earlier fixes were verified on. */
  regressionSuite: RegressionSuiteStore;
}

export function createStores(redis: RedisConnection, options: StoresOptions = {}): Stores {
  const base: StoreOptions = {
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    ...(options.now === undefined ? {} : { now: options.now }),
  };
  const days = (value: number | undefined) => (value === undefined ? {} : { retentionDays: value });
  return {
    checkpoints: new CheckpointStore(redis, base),
    snapshots: new SnapshotStore(redis, { ...base, ...days(options.snapshotRetentionDays) }),
    diagnoses: new DiagnosisStore(redis, { ...base, ...days(options.diagnosisRetentionDays) }),
    reports: new ReportStore(redis, { ...base, ...days(options.reportRetentionDays) }),
    proposals: new ProposalStore(redis, { ...base, ...days(options.proposalRetentionDays) }),
    audit: new AuditLog(redis, {
      ...base,
      ...(options.auditMaxLength === undefined ? {} : { maxLength: options.auditMaxLength }),
    }),
    writeIntents: new WriteIntentStore(redis, base),
    slackMessages: new SlackMessageStore(redis, base),
    heldDrafts: new HeldDraftStore(redis, base),
    findings: new FindingStore(redis, base),
    llmSpend: new LlmSpendStore(redis, base),
    regressionSuite: new RegressionSuiteStore(redis, {
      ...base,
      ...(options.regressionSuiteMaxCases === undefined
        ? {}
        : { maxCases: options.regressionSuiteMaxCases }),
    }),
  };
}
export * from './purge.js';

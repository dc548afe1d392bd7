import type { Queue } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { KlaviyoCallEvent } from './klaviyo/transport.js';
import type { LedgerRecord } from './llm/ledger.js';
import { costUsd } from './llm/prices.js';
import { PROPOSAL_STATUSES, type ProposalStatus } from './domain/proposal.js';

/** Prefix of every metric name, so our series sort together next to the default process ones. */
export const METRIC_PREFIX = 'agent_trainer_';

/** BullMQ job states reported by the queue gauge. */
export const JOB_STATES = [
  'waiting',
  'active',
  'delayed',
  'failed',
  'completed',
  'prioritized',
  'waiting-children',
] as const;

/** How a job attempt ended, for the duration histogram. */
export type JobStatus = 'completed' | 'failed';

/** What an apply attempt (or a revert) ended as; `waiting`: held behind an attribution window. */
export type ApplyOutcome = 'applied' | 'conflict' | 'failed' | 'reverted' | 'waiting';

/** Where the gauges read their values at scrape time; set with `Metrics.watch`. */
export interface MetricsSources {
  queues?: readonly Queue[];
  /** Proposal count per status; statuses left out are reported as 0. */
  proposalCounts?: () => Promise<Partial<Record<ProposalStatus, number>>>;
  /** Decided proposals per failure category and drafter (see src/loop/approve/acceptance.ts). */
  acceptance?: () => Promise<
    readonly { category: string; drafter: string; accepted: number; rejected: number }[]
  >;
}

/** The registry and the typed ways to feed it. */
export interface Metrics {
  registry: Registry;
  /** Sets (replaces) the sources the gauges are collected from on each scrape. */
  watch(sources: MetricsSources): void;
  /** One finished job attempt. */
  observeJob(queue: string, name: string, seconds: number, status: JobStatus): void;
  /** Usable as the Klaviyo client's `onCall` hook: one event per HTTP attempt. */
  observeKlaviyoCall(event: KlaviyoCallEvent): void;
  /** Usable with each ledger record: tokens by kind and the priced cost. */
  observeLlm(record: LedgerRecord): void;
  observeApply(outcome: ApplyOutcome): void;
  /** The exposition text, collecting the gauges first. */
  render(): Promise<string>;
  contentType: string;
}

export interface CreateMetricsOptions {
  /** Collect process/Node metrics (CPU, memory, event loop, GC). @defaultValue true */
  defaultMetrics?: boolean;
}

/**
 * A registry of its own per call (not prom-client's global one), so tests and several servers in
 * one process do not clash over metric names.
 */
export function createMetrics(options: CreateMetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  let sources: MetricsSources = {};
  const registers = [registry];

  new Gauge({
    name: `${METRIC_PREFIX}queue_jobs`,
    help: 'Jobs per queue and state, read from BullMQ at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      for (const queue of sources.queues ?? []) {
        const counts = await queue.getJobCounts(...JOB_STATES);
        for (const state of JOB_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}proposals`,
    help: 'Proposals per status, read from the proposal store at scrape time',
    labelNames: ['status'] as const,
    registers,
    async collect() {
      if (!sources.proposalCounts) return;
      const counts = await sources.proposalCounts();
      for (const status of PROPOSAL_STATUSES) this.set({ status }, counts[status] ?? 0);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}proposals_decided`,
    help: 'Decided proposals per failure category, drafter and decision (accepted or rejected), read from the proposal store at scrape time',
    labelNames: ['category', 'drafter', 'decision'] as const,
    registers,
    async collect() {
      if (!sources.acceptance) return;
      this.reset();
      for (const row of await sources.acceptance()) {
        const labels = { category: row.category, drafter: row.drafter };
        this.set({ ...labels, decision: 'accepted' }, row.accepted);
        this.set({ ...labels, decision: 'rejected' }, row.rejected);
      }
    },
  });
  const jobDuration = new Histogram({
    name: `${METRIC_PREFIX}job_duration_seconds`,
    help: 'Duration of job attempts',
    labelNames: ['queue', 'name', 'status'] as const,
    // Jobs range from a quick enqueue fan-out to multi-minute pulls and LLM batches.
    buckets: [0.05, 0.25, 1, 5, 15, 60, 300, 900, 3600],
    registers,
  });
  const klaviyoCalls = new Counter({
    name: `${METRIC_PREFIX}klaviyo_calls_total`,
    help: 'Klaviyo HTTP attempts by endpoint group and status (network_error when none arrived)',
    labelNames: ['group', 'status'] as const,
    registers,
  });
  const klaviyo429 = new Counter({
    name: `${METRIC_PREFIX}klaviyo_rate_limited_total`,
    help: 'Klaviyo 429 responses by endpoint group',
    labelNames: ['group'] as const,
    registers,
  });
  const limiterWait = new Counter({
    name: `${METRIC_PREFIX}klaviyo_rate_limit_wait_seconds_total`,
    help: 'Time held back by the rate limiter and Retry-After before Klaviyo attempts',
    labelNames: ['group'] as const,
    registers,
  });
  const llmTokens = new Counter({
    name: `${METRIC_PREFIX}llm_tokens_total`,
    help: 'LLM tokens by stage, model and kind',
    labelNames: ['stage', 'model', 'kind'] as const,
    registers,
  });
  const llmCost = new Counter({
    name: `${METRIC_PREFIX}llm_cost_usd_total`,
    help: 'LLM cost in US dollars by stage and model (calls of unpriced models add nothing)',
    labelNames: ['stage', 'model'] as const,
    registers,
  });
  const applies = new Counter({
    name: `${METRIC_PREFIX}applies_total`,
    help: 'Apply attempts and reverts by outcome',
    labelNames: ['outcome'] as const,
    registers,
  });

  return {
    registry,
    contentType: registry.contentType,
    watch(next) {
      sources = next;
    },
    observeJob(queue, name, seconds, status) {
      jobDuration.observe({ queue, name, status }, seconds);
    },
    observeKlaviyoCall(event) {
      const { group } = event;
      klaviyoCalls.inc({ group, status: event.status?.toString() ?? 'network_error' });
      if (event.status === 429) klaviyo429.inc({ group });
      if (event.rateLimitWaitMs > 0) limiterWait.inc({ group }, event.rateLimitWaitMs / 1000);
    },
    observeLlm(record) {
      const { stage, model, tokens } = record;
      llmTokens.inc({ stage, model, kind: 'input' }, tokens.inputTokens);
      llmTokens.inc({ stage, model, kind: 'output' }, tokens.outputTokens);
      llmTokens.inc({ stage, model, kind: 'cache_write' }, tokens.cacheWriteTokens);
      llmTokens.inc({ stage, model, kind: 'cache_read' }, tokens.cacheReadTokens);
      const usd = costUsd(model, tokens, { batch: record.batch ?? false });
      if (usd !== null) llmCost.inc({ stage, model }, usd);
    },
    observeApply(outcome) {
      applies.inc({ outcome });
    },
    render: () => registry.metrics(),
  };
}

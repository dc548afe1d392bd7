import type { AccountConfig, Config } from './config.js';
import { ConfigError } from './errors.js';
import { createKlaviyoClient, type KlaviyoClient, type RateLimitMode } from './klaviyo/index.js';
import {
  BudgetGuard,
  createLlmClient,
  TokenLedger,
  type BatchRequest,
  type LlmClient,
} from './llm/index.js';
import type { DecideDeps } from './loop/approve/decide.js';
import type { Enqueue } from './queue/index.js';
import { createSlackNotifier, type SlackNotifier } from './slack/notifier.js';
import type { Proposal } from './domain/proposal.js';
import type { Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { readAgentConfig, type AgentConfigView } from './patches/agent-config.js';
import type { RedisConnection } from './redis.js';
import { createStores, type Stores } from './store/index.js';
import { MINUTE_MS } from './time.js';

/**
 * Everything a job handler may touch, built once per process from the config. Handlers receive it
 * as `ctx.deps`; tests build their own. Nothing here is a module-level singleton.
 */
export interface Deps {
  config: Config;
  logger: Logger;
  stores: Stores;
  /** Klaviyo client of an account: `read` for pulling, `write` for apply and replay. */
  klaviyo(accountId: string, access: 'read' | 'write'): KlaviyoClient;
  account(accountId: string): AccountConfig;
  /**
   * The account's agent configuration, read with the read key and reused for a few minutes:
   * every diagnose batch needs it, and each read costs calls of the configuration group.
   * Synthesis and apply read their own fresh copy.
   */
  agentConfig(accountId: string): Promise<AgentConfigView>;
  /** Claude, when ANTHROPIC_API_KEY is set; the rules path runs without it. */
  llm: LlmClient | undefined;
  /** Posts and updates proposal messages, when SLACK_BOT_TOKEN is set. */
  slack: SlackNotifier | undefined;
  /** This process's Prometheus instruments (served at /metrics). */
  metrics: Metrics;
  now(): Date;
}

declare module './queue/define-job.js' {
  // Declaration merging gives every job handler typed `ctx.deps` without type arguments.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface JobDeps extends Deps {}
}

export interface CreateDepsOptions {
  /** Shared by the stores and the rate limiter; not closed by the deps. */
  redis: RedisConnection;
  logger: Logger;
  /** @defaultValue a new registry without process metrics */
  metrics?: Metrics;
  /** For the sandbox and benchmarks: scaled windows. @defaultValue config.klaviyo.rateLimits */
  rateLimits?: RateLimitMode;
  now?: () => Date;
}

export function createDeps(config: Config, options: CreateDepsOptions): Deps {
  const { redis, logger } = options;
  const now = options.now ?? (() => new Date());
  const metrics = options.metrics ?? createMetrics({ defaultMetrics: false });
  const stores = createStores(redis, {
    prefix: config.redis.prefix,
    snapshotRetentionDays: config.pull.retentionDays,
    // A diagnosis is kept as long as the transcript it was made from.
    diagnosisRetentionDays: config.pull.retentionDays,
    proposalRetentionDays: config.proposals.retentionDays,
    regressionSuiteMaxCases: config.regression.maxCases,
    now,
  });
  const account = accountLookup(config.accounts);
  const klaviyo = klaviyoClients(config, account, { ...options, metrics });
  const llm = config.llm.apiKey
    ? claudeClient(config, config.llm.apiKey, { logger, now, metrics, stores })
    : undefined;
  const agentConfig = cachedAgentConfig(klaviyo, now);
  const slack = config.slack.botToken
    ? slackNotifier(config, config.slack.botToken, logger)
    : undefined;
  return { config, logger, stores, klaviyo, account, agentConfig, llm, slack, metrics, now };
}

/** The settings of a configured account; an unknown id names the configured ones. */
function accountLookup(configured: readonly AccountConfig[]): Deps['account'] {
  const accounts = new Map(configured.map((a) => [a.id, a]));
  return (accountId) => {
    const found = accounts.get(accountId);
    if (!found) {
      throw new ConfigError(
        `Unknown account "${accountId}"; configured: ${[...accounts.keys()].join(', ')}`,
      );
    }
    return found;
  };
}

/** One Klaviyo client per account and access, built on first use with that account's key. */
function klaviyoClients(
  config: Config,
  account: Deps['account'],
  options: CreateDepsOptions & { metrics: Metrics },
): Deps['klaviyo'] {
  const { redis, logger, metrics } = options;
  const clients = new Map<string, KlaviyoClient>();
  return (accountId, access) => {
    const cacheKey = `${accountId}:${access}`;
    const cached = clients.get(cacheKey);
    if (cached) return cached;
    const settings = account(accountId);
    const apiKey = access === 'read' ? settings.readKey : settings.writeKey;
    if (!apiKey) {
      throw new ConfigError(
        accountId === 'default'
          ? `No Klaviyo key for ${access}s: set KLAVIYO_API_KEY${access === 'write' ? ' (and KLAVIYO_WRITE_API_KEY for a separate write key)' : ''}`
          : `Account "${accountId}" has no ${access} key; see its readKeyEnv/writeKeyEnv`,
      );
    }
    const client = createKlaviyoClient({
      apiKey,
      baseUrl: settings.baseUrl,
      revision: config.klaviyo.revision,
      redis,
      // Klaviyo counts limits per account, so both keys of an account share one budget.
      rateLimitKey: accountId,
      quotaShare: settings.quotaShare,
      rateLimits: options.rateLimits ?? config.klaviyo.rateLimits,
      logger: logger.child({ account: accountId, access }),
      onCall: (event) => metrics.observeKlaviyoCall(event),
    });
    clients.set(cacheKey, client);
    return client;
  };
}

/** Claude, with each account's budget shared by every worker through Redis. */
function claudeClient(
  config: Config,
  apiKey: string,
  shared: { logger: Logger; now: () => Date; metrics: Metrics; stores: Stores },
): LlmClient {
  const { logger, now, metrics, stores } = shared;
  // Spend goes to Redis too, so every worker of an account (and the next process) shares
  // the account's budget.
  const ledger = new TokenLedger({
    logger,
    now,
    shared: stores.llmSpend,
    onRecord: (record) => metrics.observeLlm(record),
  });
  const budgets = new Map(config.accounts.map((a) => [a.id, a.llmBudgetUsd]));
  const budget = new BudgetGuard({ ledger, budgetUsd: (id) => budgets.get(id) });
  return withSharedBudget(
    createLlmClient({
      apiKey,
      ...(config.llm.baseUrl ? { baseURL: config.llm.baseUrl } : {}),
      models: config.llm.models,
      logger,
      ledger,
      budget,
    }),
    budget,
  );
}

const AGENT_CONFIG_TTL_MS = 5 * MINUTE_MS;

/** The agent configuration per account, read with the read key and reused for a few minutes. */
function cachedAgentConfig(klaviyo: Deps['klaviyo'], now: () => Date): Deps['agentConfig'] {
  const agentConfigs = new Map<string, { at: number; view: Promise<AgentConfigView> }>();
  return (accountId) => {
    const cached = agentConfigs.get(accountId);
    if (cached && now().getTime() - cached.at < AGENT_CONFIG_TTL_MS) return cached.view;
    const view = readAgentConfig(klaviyo(accountId, 'read'), { now });
    // A failed read is not cached: the next job tries again.
    view.catch(() => agentConfigs.delete(accountId));
    agentConfigs.set(accountId, { at: now().getTime(), view });
    return view;
  };
}

function slackNotifier(config: Config, token: string, logger: Logger): SlackNotifier {
  return createSlackNotifier({
    token,
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    ...(config.slack.publicUrl
      ? {
          webUrlFor: proposalPageUrl(config.slack.publicUrl),
          overviewUrlFor: overviewPageUrl(config.slack.publicUrl),
          suspiciousUrl: `${config.slack.publicUrl}/suspicious`,
        }
      : {}),
    logger,
  });
}

/**
 * What the decide service (src/loop/approve/decide.ts) needs, from the deps and an enqueue (the
 * app's, or a job's `ctx.enqueue`). Edits are checked against the agent read fresh, not the
 * cached `agentConfig`; proposals are announced only when Slack is configured.
 */
export function decideDeps(deps: Deps, enqueue: Enqueue, logger: Logger = deps.logger): DecideDeps {
  return {
    stores: deps.stores,
    enqueue,
    account: deps.account,
    readAgentConfig: (accountId) => readAgentConfig(deps.klaviyo(accountId, 'read')),
    notifications: deps.slack !== undefined,
    logger,
  };
}

/**
 * The client with its budget read from the shared store before every call: the client's own
 * check is synchronous and counts what its ledger knows, so each call first refreshes that from
 * Redis (all workers' spend), and waits for its own spend to be written before returning, so a
 * finished job's spend is visible to the next check anywhere.
 */
export function withSharedBudget(client: LlmClient, budget: BudgetGuard): LlmClient {
  const { ledger } = client;
  const refreshAll = async (requests: readonly BatchRequest<unknown>[]) => {
    for (const accountId of new Set(requests.map((r) => r.accountId))) {
      await budget.refresh(accountId);
    }
  };
  return {
    models: client.models,
    ledger,
    async structured(req, options) {
      await budget.refresh(req.accountId);
      try {
        return await client.structured(req, options);
      } finally {
        await ledger.flush();
      }
    },
    async submitBatch(requests) {
      await refreshAll(requests);
      return client.submitBatch(requests);
    },
    async collectBatch(id, options) {
      try {
        return await client.collectBatch(id, options);
      } finally {
        await ledger.flush();
      }
    },
  };
}

/** The web page of a proposal under the server's public URL. */
function proposalPageUrl(publicUrl: string): (proposal: Proposal) => string {
  return (proposal) => `${publicUrl}/proposals/${encodeURIComponent(proposal.id)}`;
}

/** The web overview of a proposal's account under the server's public URL. */
function overviewPageUrl(publicUrl: string): (proposal: Proposal) => string {
  return (proposal) => `${publicUrl}/?account=${encodeURIComponent(proposal.accountId)}`;
}

import type { Cluster, Redis } from 'ioredis';
import { DEFAULT_KLAVIYO_BASE_URL, DEFAULT_REVISION } from '../config.js';
import { ConfigError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { keyFingerprint } from './fingerprint.js';
import type { KlaviyoEndpointGroup } from './operations.js';
import type { QuotaView } from './quota.js';
import { createRateLimiter, type RateLimitMode } from './rate-limiter.js';
import { createAgentResource, type AgentResource } from './resources/agent.js';
import {
  createConversationsResource,
  type ConversationsResource,
} from './resources/conversations.js';
import { createKnowledgeResource, type KnowledgeResource } from './resources/knowledge.js';
import {
  createReportsResource,
  createResponsesResource,
  type ReportsResource,
  type ResponsesResource,
} from './resources/reports.js';
import { createSecretsResource, type SecretsResource } from './resources/secrets.js';
import { createSkillsResource, type SkillsResource } from './resources/skills.js';
import { createToolsResource, type ToolsResource } from './resources/tools.js';
import { DEFAULT_RETRY_SETTINGS } from './retry.js';
import { Transport, type KlaviyoCallEvent } from './transport.js';

export interface KlaviyoClientOptions {
  /** Private API key (`pk_…`) with the agents scope. Never logged; see `keyFingerprint`. */
  apiKey: string;
  /** @defaultValue 'https://a.klaviyo.com' */
  baseUrl?: string | undefined;
  /** @defaultValue '2026-07-15.pre' */
  revision?: string | undefined;
  /** The Customer Agent id; when unset it is learned from the first `agent.get()`. */
  agentId?: string | undefined;
  /** When given, the rate limiter is shared through Redis by every process using the key. */
  redis?: Redis | Cluster | undefined;
  /**
   * Proactive pacing. `{ scale: N }` divides every window by N (mirrors the sandbox's
   * `--rate-limits scale=N`). 429s are honoured in every mode.
   * @defaultValue 'spec'
   */
  rateLimits?: RateLimitMode | undefined;
  /**
   * Share of each rate-limit window this client (with every process sharing its buckets) may use
   * at most, 0–1, to reserve room for the store's other integrations; within it, the client
   * leaves them what the response headers show they use.
   * @defaultValue 1
   */
  quotaShare?: number | undefined;
  /**
   * Names the rate-limit buckets. Klaviyo counts per account, so give the read and the write
   * key of one account the same value (e.g. the account id) to share one budget.
   * @defaultValue the key fingerprint
   */
  rateLimitKey?: string | undefined;
  /** Per attempt. @defaultValue 30_000 */
  timeoutMs?: number | undefined;
  /** Retries after the first attempt. @defaultValue 4 */
  maxRetries?: number | undefined;
  /** Backoff between retries (not 429s, which wait `Retry-After`). @defaultValue { baseMs: 500, maxMs: 30_000 } */
  retryBackoff?: { baseMs: number; maxMs: number } | undefined;
  /** @defaultValue silentLogger */
  logger?: Logger | undefined;
  /** Called once per HTTP attempt, for metrics and benchmarks. */
  onCall?: ((event: KlaviyoCallEvent) => void) | undefined;
}

/** Typed access to every Customer Agent API operation, grouped by resource. */
export interface KlaviyoClient {
  /** Short non-reversible name of the API key, e.g. `pk_3f9a0c1d`; safe to log. */
  readonly keyFingerprint: string;
  readonly agent: AgentResource;
  readonly skills: SkillsResource;
  readonly tools: ToolsResource;
  readonly knowledge: KnowledgeResource;
  readonly secrets: SecretsResource;
  readonly conversations: ConversationsResource;
  readonly reports: ReportsResource;
  /** `POST /api/customer-agent-responses`: run one turn. */
  readonly responses: ResponsesResource;
  /** How a group's quota is shared now: others' calls per window and ours (the budget). */
  quota(group: KlaviyoEndpointGroup): Promise<QuotaView | undefined>;
}

/** Creates a client. Options are checked here (a ConfigError names the bad one). */
export function createKlaviyoClient(options: KlaviyoClientOptions): KlaviyoClient {
  const apiKey = options.apiKey?.trim() ?? '';
  if (apiKey === '') throw new ConfigError('Klaviyo client: apiKey is empty');
  const fingerprint = keyFingerprint(apiKey);
  const timeoutMs = positive(options.timeoutMs ?? 30_000, 'timeoutMs');
  const maxRetries = options.maxRetries ?? DEFAULT_RETRY_SETTINGS.maxRetries;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new ConfigError('Klaviyo client: maxRetries must be a non-negative integer');
  }
  const rateLimits = options.rateLimits ?? 'spec';
  if (typeof rateLimits === 'object') positive(rateLimits.scale, 'rateLimits.scale');
  const quotaShare = options.quotaShare ?? 1;
  if (!(quotaShare > 0 && quotaShare <= 1)) {
    throw new ConfigError(
      `Klaviyo client: quotaShare must be above 0 and at most 1, got ${quotaShare}`,
    );
  }
  const limiter = createRateLimiter({
    mode: rateLimits,
    identity: options.rateLimitKey ?? fingerprint,
    redis: options.redis,
    share: quotaShare,
  });

  const transport = new Transport({
    apiKey,
    keyFingerprint: fingerprint,
    baseUrl: normalizeBaseUrl(options.baseUrl ?? DEFAULT_KLAVIYO_BASE_URL),
    revision: options.revision ?? DEFAULT_REVISION,
    timeoutMs,
    retry: {
      ...DEFAULT_RETRY_SETTINGS,
      maxRetries,
      ...(options.retryBackoff
        ? {
            baseDelayMs: positive(options.retryBackoff.baseMs, 'retryBackoff.baseMs'),
            maxDelayMs: positive(options.retryBackoff.maxMs, 'retryBackoff.maxMs'),
          }
        : {}),
    },
    limiter,
    logger: options.logger ?? silentLogger,
    onCall: options.onCall,
  });

  return {
    keyFingerprint: fingerprint,
    agent: createAgentResource(transport, options.agentId),
    skills: createSkillsResource(transport),
    tools: createToolsResource(transport),
    knowledge: createKnowledgeResource(transport),
    secrets: createSecretsResource(transport),
    conversations: createConversationsResource(transport),
    reports: createReportsResource(transport),
    responses: createResponsesResource(transport),
    quota: (group) => limiter.quota(group),
  };
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`Klaviyo client: ${name} must be a positive number, got ${value}`);
  }
  return value;
}

/** `https://host[/prefix]` without a trailing slash; paths are appended as `/api/...`. */
function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigError(`Klaviyo client: baseUrl ${JSON.stringify(baseUrl)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`Klaviyo client: baseUrl must be http(s), got ${url.protocol}`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ConfigError('Klaviyo client: baseUrl must not carry credentials, a query or a hash');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

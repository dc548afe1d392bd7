import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import type { RateLimitMode } from './klaviyo/index.js';
import { PATCH_KIND_NAMES, type PatchKind } from './patches/patch.js';
import { DAY_MS, MINUTE_MS } from './time.js';

/**
 * All settings, parsed once at start. This is the only module that reads `process.env`; everything
 * else receives a typed `Config`. A bad value fails fast with a message naming the variable (or the
 * accounts-file field) and what it should look like. Secrets come only from the environment: the
 * accounts file names the variables that hold each account's keys, never the keys.
 */

export const DEFAULT_REVISION = '2026-07-15.pre';
export const DEFAULT_KLAVIYO_BASE_URL = 'https://a.klaviyo.com';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_MODELS = {
  diagnose: 'claude-haiku-5-5',
  draft: 'claude-sonnet-5-5',
  judge: 'claude-haiku-5-5',
} as const;
/**
 * Message fetches per scheduled pull: 50 minutes at Klaviyo's 60 a minute, so a pull fits between
 * two hourly ones with room for the listing and other integrations.
 */
export const DEFAULT_PULL_MAX_CONVERSATIONS = 3000;
/** Patch kinds proposed unless an account narrows them. */
export const DEFAULT_ALLOWED_KINDS: readonly PatchKind[] = PATCH_KIND_NAMES;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(blankToUndefined, z.string().trim().optional());
const bool = (fallback: boolean) =>
  z.preprocess(
    blankToUndefined,
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  );
const number = (fallback: number, schema: z.ZodNumber) =>
  z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'must be a number' }).pipe(schema).default(fallback),
  );

const ScheduleSchema = z.object({
  pattern: z.string().min(1, { error: 'a cron pattern such as "0 * * * *"' }),
  tz: z.string().default('UTC'),
});
export type Schedule = z.infer<typeof ScheduleSchema>;

const DEFAULT_SCHEDULES = {
  'pull-conversations': { pattern: '15 * * * *', tz: 'UTC' },
  'pull-reports': { pattern: '30 5 * * *', tz: 'UTC' },
  synthesize: { pattern: '0 6 * * *', tz: 'UTC' },
};

const AccountFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
    error: 'must be lowercase letters, digits and dashes (used in queue and Redis keys)',
  }),
  name: z.string().optional(),
  baseUrl: z.url().optional(),
  /** Name of the environment variable holding the read key. */
  readKeyEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'must name an environment variable' }),
  writeKeyEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'must name an environment variable' })
    .optional(),
  schedules: z
    .strictObject({
      'pull-conversations': ScheduleSchema.optional(),
      'pull-reports': ScheduleSchema.optional(),
      synthesize: ScheduleSchema.optional(),
    })
    .optional(),
  approvers: z
    .array(z.string().regex(/^(slack|web|cli):.+$/, { error: 'like slack:U123 or web:alice' }))
    .default([]),
  allowedKinds: z.array(z.enum(PATCH_KIND_NAMES as [PatchKind, ...PatchKind[]])).optional(),
  autoApprove: z
    .strictObject({
      enabled: z.boolean().default(false),
      kinds: z.array(z.enum(PATCH_KIND_NAMES as [PatchKind, ...PatchKind[]])).default([]),
    })
    .optional(),
  slackChannel: z.string().optional(),
  llmBudgetUsd: z.number().nonnegative().optional(),
  quotaShare: z
    .number()
    .gt(0, { error: 'must be above 0 (a share of 0 would never pull)' })
    .max(1, { error: 'must be at most 1 (the whole quota)' })
    .optional(),
});

const AccountsFileSchema = z.strictObject({ accounts: z.array(AccountFileSchema).min(1) });

const EnvSchema = z.object({
  KLAVIYO_BASE_URL: z.preprocess(
    blankToUndefined,
    z
      .url({ error: 'must be a URL such as https://a.klaviyo.com' })
      .default(DEFAULT_KLAVIYO_BASE_URL),
  ),
  KLAVIYO_API_KEY: optionalString,
  KLAVIYO_WRITE_API_KEY: optionalString,
  KLAVIYO_REVISION: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/, { error: 'must look like 2026-07-15.pre' })
      .default(DEFAULT_REVISION),
  ),
  // Scaled or no pacing is for the sandbox (tests, benchmarks); a real store needs `spec`.
  KLAVIYO_RATE_LIMITS: z.preprocess(
    blankToUndefined,
    z
      .string()
      .default('spec')
      .transform((text, ctx): RateLimitMode => {
        const scale = Number(/^scale=(.+)$/.exec(text)?.[1]);
        if (text === 'spec' || text === 'off') return text;
        if (Number.isFinite(scale) && scale > 0) return { scale };
        ctx.addIssue({ code: 'custom', message: "must be 'spec', 'off' or 'scale=N' with N > 0" });
        return z.NEVER;
      }),
  ),
  // Share of each rate-limit window agent-trainer may use, leaving the rest to other integrations.
  KLAVIYO_QUOTA_SHARE: number(
    1,
    z
      .number()
      .gt(0, { error: 'must be above 0 (a share of 0 would never pull), e.g. 0.5' })
      .max(1, { error: 'must be at most 1 (the whole quota), e.g. 0.5' }),
  ),
  ACCOUNTS_FILE: optionalString,
  APPROVERS: optionalString,
  // One URL; with REDIS_CLUSTER a comma-separated list of seed nodes (checked in loadConfig).
  REDIS_URL: z.preprocess(blankToUndefined, z.string().default(DEFAULT_REDIS_URL)),
  QUEUE_PREFIX: z.preprocess(blankToUndefined, z.string().default('agent-trainer')),
  REDIS_CLUSTER: bool(false),
  SNAPSHOT_RETENTION_DAYS: number(30, z.number().int().min(1).max(365)),
  PROPOSAL_RETENTION_DAYS: number(
    180,
    z
      .number()
      .int({ error: 'must be a whole number of days' })
      .min(1, { error: 'must be at least 1 day' })
      .max(3650, { error: 'must be at most 3650 days (ten years)' }),
  ),
  JOB_LOCK_SECONDS: number(30, z.number().int().min(1).max(600)),
  REJECTION_COOLDOWN_DAYS: number(30, z.number().int().min(0).max(365)),
  REJECTION_REGROWTH: number(2, z.number().min(1).max(100)),
  // Preview replays per synthesis run to reproduce findings; they share the write key's quota.
  REPRODUCE_MAX_REPLAYS: number(
    30,
    z
      .number()
      .int({ error: 'must be a whole number of conversations, e.g. 30' })
      .min(0, { error: 'must be 0 (no reproduction) or more, e.g. 30' })
      .max(1000, { error: 'must be at most 1000' }),
  ),
  PULL_OVERLAP_MINUTES: number(
    60,
    z
      .number()
      .int()
      .min(0)
      .max(DAY_MS / MINUTE_MS),
  ),
  // Message fetches per pull: ~50 min of the 60-a-minute quota, so hourly pulls do not overlap.
  PULL_MAX_CONVERSATIONS: number(
    DEFAULT_PULL_MAX_CONVERSATIONS,
    z
      .number()
      .int({ error: 'must be a whole number of conversations, e.g. 3000' })
      .min(1, { error: 'must be at least 1, e.g. 3000' })
      .max(1_000_000, { error: 'must be at most 1000000' }),
  ),
  // The regression check after each apply: preview turns it may spend, successful conversations
  // of the touched skill it samples, and suite cases kept per account.
  REGRESSION_REPLAY_BUDGET: number(40, z.number().int().min(0).max(10_000)),
  REGRESSION_SUCCESS_SAMPLE: number(5, z.number().int().min(0).max(1000)),
  REGRESSION_SUITE_MAX_CASES: number(200, z.number().int().min(1).max(100_000)),
  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_BASE_URL: z.preprocess(blankToUndefined, z.url().optional()),
  LLM_MODEL_DIAGNOSE: z.preprocess(blankToUndefined, z.string().default(DEFAULT_MODELS.diagnose)),
  LLM_MODEL_DRAFT: z.preprocess(blankToUndefined, z.string().default(DEFAULT_MODELS.draft)),
  LLM_MODEL_JUDGE: z.preprocess(blankToUndefined, z.string().default(DEFAULT_MODELS.judge)),
  LLM_BATCH: bool(false),
  LLM_BUDGET_USD: number(5, z.number().min(0)),
  LLM_SUCCESS_SAMPLE: number(0.05, z.number().min(0).max(1)),
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_API_URL: z.preprocess(blankToUndefined, z.url().optional()),
  SLACK_CHANNEL: optionalString,
  SERVER_PUBLIC_URL: z.preprocess(
    blankToUndefined,
    z
      .url({ error: 'must be the URL people open the server at, e.g. https://trainer.example.com' })
      .optional(),
  ),
  // The HTTP server's limits (see ServerLimits); the defaults suit a server behind a load balancer.
  SERVER_REQUEST_TIMEOUT_SECONDS: number(30, z.number().int().min(1).max(600)),
  SERVER_HEADERS_TIMEOUT_SECONDS: number(10, z.number().int().min(1).max(600)),
  SERVER_KEEP_ALIVE_SECONDS: number(72, z.number().int().min(1).max(600)),
  SERVER_SIGNIN_ATTEMPTS: number(10, z.number().int().min(1).max(1000)),
  SERVER_SIGNIN_WINDOW_MINUTES: number(
    15,
    z
      .number()
      .int()
      .min(1)
      .max(DAY_MS / MINUTE_MS),
  ),
  SERVER_TRUST_PROXY: number(0, z.number().int().min(0).max(10)),
  LOG_LEVEL: z.preprocess(
    blankToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

/** The seed URLs of a `REDIS_URL` list (`redis://a:6379,redis://b:6379`); one URL gives one. */
export function redisSeedUrls(url: string): string[] {
  return url
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

function redisUrlProblem(url: string, cluster: boolean): string | undefined {
  const seeds = redisSeedUrls(url);
  if (!cluster) {
    if (seeds.length > 1) return 'a comma-separated list of seed nodes needs REDIS_CLUSTER=true';
    return z.url().safeParse(url).success ? undefined : 'must be a redis:// or rediss:// URL';
  }
  const isSeed = (seed: string) => URL.canParse(seed) && /^rediss?:$/.test(new URL(seed).protocol);
  return seeds.length > 0 && seeds.every(isSeed)
    ? undefined
    : 'must be redis:// or rediss:// URLs of cluster nodes, comma-separated';
}

export interface AccountConfig {
  id: string;
  name: string;
  baseUrl: string;
  /** Key for reads (pull, diagnose). */
  readKey: string | undefined;
  /** Key for writes (apply, replay); the read key when no separate one is set. */
  writeKey: string | undefined;
  schedules: Record<keyof typeof DEFAULT_SCHEDULES, Schedule>;
  approvers: string[];
  allowedKinds: readonly PatchKind[];
  autoApprove: { enabled: boolean; kinds: PatchKind[] };
  slackChannel: string | undefined;
  llmBudgetUsd: number;
  /** Share of each rate-limit window agent-trainer may use (KLAVIYO_QUOTA_SHARE, 0–1]; 1 if unset. */
  quotaShare?: number | undefined;
}

/** The HTTP server's timeouts and sign-in throttle. */
export interface ServerLimits {
  /** Longest time to receive a whole request (SERVER_REQUEST_TIMEOUT_SECONDS). */
  requestTimeoutMs: number;
  /** Longest time to receive a request's headers; slow-header clients are cut off. */
  headersTimeoutMs: number;
  /** How long an idle keep-alive connection stays open (longer than a load balancer's 60 s). */
  keepAliveTimeoutMs: number;
  /** Failed sign-ins a client address may make per window before it gets 429s. */
  signInAttempts: number;
  signInWindowSeconds: number;
  /** Proxies in front of the server (0: the peer is the client; else its X-Forwarded-For hop). */
  trustProxyHops: number;
}

export interface Config {
  /** `rateLimits`: the client's pacing (the spec's limits unless pointed at a scaled sandbox). */
  klaviyo: { revision: string; rateLimits: RateLimitMode };
  accounts: AccountConfig[];
  /** `url`: one server, or with `cluster` the comma-separated seed nodes of a Redis Cluster. */
  redis: { url: string; prefix: string; cluster: boolean };
  /** `maxConversations`: message fetches per pull (PULL_MAX_CONVERSATIONS). */
  pull: { retentionDays: number; overlapMinutes: number; maxConversations: number };
  /** `retentionDays`: how long a decided proposal is kept after its decision (audit kept). */
  proposals: { retentionDays: number };
  /**
   * `lockSeconds`: a running job's lock and the stalled-job check interval, and an apply
   * attempt's lease on its target; a killed worker's jobs go to another worker within about twice
   * this. The same on every worker (see WORKER_TIMINGS).
   */
  jobs: { lockSeconds: number };
  /**
   * A rejected finding is not proposed again for `cooldownDays`, unless it reaches `regrowth`
   * times the conversations it had when it was rejected.
   */
  rejections: { cooldownDays: number; regrowth: number };
  /**
   * `maxReplays`: evidence conversations one synthesis run may replay against the live
   * configuration before proposing (REPRODUCE_MAX_REPLAYS), across its findings.
   */
  reproduce: { maxReplays: number };
  /**
   * The regression check after each apply: `replayBudget` preview turns per check,
   * `successSample` successful conversations of the touched skill, `maxCases` suite cases kept
   * per account (the oldest dropped first).
   */
  regression: { replayBudget: number; successSample: number; maxCases: number };
  llm: {
    apiKey: string | undefined;
    baseUrl: string | undefined;
    models: { diagnose: string; draft: string; judge: string };
    batch: boolean;
    successSample: number;
  };
  slack: {
    botToken: string | undefined;
    signingSecret: string | undefined;
    /** Slack's Web API base; a fake in tests. */
    apiUrl: string | undefined;
    /** Where people open the server (SERVER_PUBLIC_URL), for links to proposal pages. */
    publicUrl: string | undefined;
  };
  server: ServerLimits;
  logLevel: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid environment:\n${formatIssues(parsed.error)}`);
  }
  const e = parsed.data;
  const redisProblem = redisUrlProblem(e.REDIS_URL, e.REDIS_CLUSTER);
  if (redisProblem) throw new ConfigError(`Invalid environment:\n  REDIS_URL: ${redisProblem}`);
  if (e.SERVER_HEADERS_TIMEOUT_SECONDS > e.SERVER_REQUEST_TIMEOUT_SECONDS) {
    // Node refuses to start a server whose headers may take longer than the whole request.
    throw new ConfigError(
      `Invalid environment:\n  SERVER_HEADERS_TIMEOUT_SECONDS (${e.SERVER_HEADERS_TIMEOUT_SECONDS}) must not exceed SERVER_REQUEST_TIMEOUT_SECONDS (${e.SERVER_REQUEST_TIMEOUT_SECONDS}); lower the first or raise the second`,
    );
  }
  const prefix =
    e.REDIS_CLUSTER && !/^\{.+\}$/.test(e.QUEUE_PREFIX) ? `{${e.QUEUE_PREFIX}}` : e.QUEUE_PREFIX;
  return {
    klaviyo: { revision: e.KLAVIYO_REVISION, rateLimits: e.KLAVIYO_RATE_LIMITS },
    accounts: e.ACCOUNTS_FILE ? loadAccountsFile(e.ACCOUNTS_FILE, env, e) : [defaultAccount(e)],
    redis: { url: e.REDIS_URL, prefix, cluster: e.REDIS_CLUSTER },
    pull: {
      retentionDays: e.SNAPSHOT_RETENTION_DAYS,
      overlapMinutes: e.PULL_OVERLAP_MINUTES,
      maxConversations: e.PULL_MAX_CONVERSATIONS,
    },
    proposals: { retentionDays: e.PROPOSAL_RETENTION_DAYS },
    jobs: { lockSeconds: e.JOB_LOCK_SECONDS },
    rejections: { cooldownDays: e.REJECTION_COOLDOWN_DAYS, regrowth: e.REJECTION_REGROWTH },
    reproduce: { maxReplays: e.REPRODUCE_MAX_REPLAYS },
    regression: {
      replayBudget: e.REGRESSION_REPLAY_BUDGET,
      successSample: e.REGRESSION_SUCCESS_SAMPLE,
      maxCases: e.REGRESSION_SUITE_MAX_CASES,
    },
    llm: {
      apiKey: e.ANTHROPIC_API_KEY,
      baseUrl: e.ANTHROPIC_BASE_URL,
      models: {
        diagnose: e.LLM_MODEL_DIAGNOSE,
        draft: e.LLM_MODEL_DRAFT,
        judge: e.LLM_MODEL_JUDGE,
      },
      batch: e.LLM_BATCH,
      successSample: e.LLM_SUCCESS_SAMPLE,
    },
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      apiUrl: e.SLACK_API_URL,
      publicUrl: e.SERVER_PUBLIC_URL?.replace(/\/+$/, ''),
    },
    server: {
      requestTimeoutMs: e.SERVER_REQUEST_TIMEOUT_SECONDS * 1000,
      headersTimeoutMs: e.SERVER_HEADERS_TIMEOUT_SECONDS * 1000,
      keepAliveTimeoutMs: e.SERVER_KEEP_ALIVE_SECONDS * 1000,
      signInAttempts: e.SERVER_SIGNIN_ATTEMPTS,
      signInWindowSeconds: e.SERVER_SIGNIN_WINDOW_MINUTES * 60,
      trustProxyHops: e.SERVER_TRUST_PROXY,
    },
    logLevel: e.LOG_LEVEL,
  };
}

type Env = z.infer<typeof EnvSchema>;

/** Without an accounts file, the KLAVIYO_* variables describe one account called `default`. */
function defaultAccount(e: Env): AccountConfig {
  return {
    id: 'default',
    name: 'default',
    baseUrl: e.KLAVIYO_BASE_URL,
    readKey: e.KLAVIYO_API_KEY,
    writeKey: e.KLAVIYO_WRITE_API_KEY ?? e.KLAVIYO_API_KEY,
    schedules: DEFAULT_SCHEDULES,
    approvers: e.APPROVERS
      ? e.APPROVERS.split(',')
          .map((a) => a.trim())
          .filter(Boolean)
      : [],
    allowedKinds: DEFAULT_ALLOWED_KINDS,
    autoApprove: { enabled: false, kinds: [] },
    slackChannel: e.SLACK_CHANNEL,
    llmBudgetUsd: e.LLM_BUDGET_USD,
    quotaShare: e.KLAVIYO_QUOTA_SHARE,
  };
}

function loadAccountsFile(path: string, env: NodeJS.ProcessEnv, e: Env): AccountConfig[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(
      `ACCOUNTS_FILE ${path} could not be read as JSON: ${(error as Error).message}`,
      error,
    );
  }
  const parsed = AccountsFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`ACCOUNTS_FILE ${path} is invalid:\n${formatIssues(parsed.error)}`);
  }
  const seen = new Set<string>();
  return parsed.data.accounts.map((account, index) => {
    if (seen.has(account.id)) {
      throw new ConfigError(
        `ACCOUNTS_FILE ${path}: accounts.${index}.id "${account.id}" is used twice`,
      );
    }
    seen.add(account.id);
    const readKey = env[account.readKeyEnv]?.trim() || undefined;
    if (!readKey) {
      throw new ConfigError(
        `Account "${account.id}" reads its key from ${account.readKeyEnv}, which is not set`,
      );
    }
    const writeKey = account.writeKeyEnv ? env[account.writeKeyEnv]?.trim() || undefined : readKey;
    if (account.writeKeyEnv && !writeKey) {
      throw new ConfigError(
        `Account "${account.id}" reads its write key from ${account.writeKeyEnv}, which is not set`,
      );
    }
    return {
      id: account.id,
      name: account.name ?? account.id,
      baseUrl: account.baseUrl ?? e.KLAVIYO_BASE_URL,
      readKey,
      writeKey,
      schedules: { ...DEFAULT_SCHEDULES, ...stripUndefined(account.schedules ?? {}) },
      approvers: account.approvers,
      allowedKinds: account.allowedKinds ?? DEFAULT_ALLOWED_KINDS,
      autoApprove: account.autoApprove ?? { enabled: false, kinds: [] },
      slackChannel: account.slackChannel,
      llmBudgetUsd: account.llmBudgetUsd ?? e.LLM_BUDGET_USD,
      quotaShare: account.quotaShare ?? e.KLAVIYO_QUOTA_SHARE,
    };
  });
}

function stripUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('\n');
}

/**
 * `base` with one account on a sandbox (its keys, no schedules of its own, no Slack) and a single
 * Redis server at `redisUrl`: how the demo and `eval` run the loop against the embedded sandbox.
 */
export function sandboxConfig(
  base: Config,
  options: {
    accountId: string;
    name: string;
    sandboxUrl: string;
    keys: { read: string; write: string };
    redisUrl: string;
    approvers: string[];
    allowedKinds: readonly PatchKind[];
    /** A key prefix of its own, so nothing else in that Redis is touched. */
    prefix?: string;
  },
): Config {
  const account: AccountConfig = {
    id: options.accountId,
    name: options.name,
    baseUrl: options.sandboxUrl,
    readKey: options.keys.read,
    writeKey: options.keys.write,
    schedules: base.accounts[0]?.schedules ?? ({} as AccountConfig['schedules']),
    approvers: options.approvers,
    allowedKinds: [...options.allowedKinds],
    autoApprove: { enabled: false, kinds: [] },
    slackChannel: undefined,
    llmBudgetUsd: base.accounts[0]?.llmBudgetUsd ?? 5,
  };
  // Always one server (the local or embedded one), even with REDIS_CLUSTER set.
  return {
    ...base,
    accounts: [account],
    redis: {
      ...base.redis,
      url: options.redisUrl,
      cluster: false,
      ...(options.prefix ? { prefix: options.prefix } : {}),
    },
  };
}

import { ConfigError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { DEFAULT_SEED, generateDemoScenario } from './demo-scenario.js';
import { FaultInjector } from './faults.js';
import { Indexer } from './indexing.js';
import { checkFaults, type FaultSettings } from './options.js';
import { SandboxRateLimiter, type RateLimitSetting } from './rate-limit.js';
import { loadScenarioFile, parseScenario, type Scenario } from './scenario.js';
import { buildServer } from './server.js';
import { StatsCollector, type SandboxStats } from './stats.js';
import { SandboxStore } from './store.js';

/**
 * A spec-faithful local Klaviyo Customer Agent API (revision 2026-07-15.pre): every operation,
 * auth and scopes, the revision header, JSON:API bodies, pagination, filters, rate limits,
 * injected faults, and a small deterministic agent behind `customer-agent-responses`.
 */

export { SANDBOX_KEYS } from './auth.js';
export {
  startNeighbour,
  type NeighbourCounts,
  type NeighbourOptions,
  type RunningNeighbour,
} from './neighbour.js';
export { parseFaults, parseRateLimits, type FaultSettings } from './options.js';
export { REVISION } from './operations.js';
export type { RateLimitSetting } from './rate-limit.js';
export { ScenarioSchema, loadScenarioFile, type Scenario, type ScenarioInput } from './scenario.js';
export type { SandboxStats } from './stats.js';
export {
  DEFAULT_SEED,
  DEMO_CONVERSATIONS,
  DEMO_FIXES,
  MAX_DEMO_CONVERSATIONS,
  PLANTED_FAILURES,
  demoGroundTruth,
  generateDemoScenario,
  type DemoGroundTruth,
  type DemoScenarioOptions,
  type PlantedFailure,
} from './demo-scenario.js';

/** Options of `startSandbox`. */
export interface SandboxOptions {
  /** @defaultValue 4010; 0 picks a free port. */
  port?: number;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** 'demo' (built in), a path to a scenario JSON file, or a scenario object. @defaultValue 'demo' */
  scenario?: 'demo' | string | Scenario;
  /** Seed of the demo data, generated ids and fault decisions. @defaultValue 42 */
  seed?: number;
  /** Size of the demo store (scenario 'demo' only), flows in the demo's proportions. @defaultValue 343 */
  conversations?: number;
  /** The clock; the demo's conversations spread over the 30 days before `now()`. */
  now?: () => Date;
  /** 'spec' limits, 'off', or `{ scale: N }` to divide every window by N. @defaultValue 'spec' */
  rateLimits?: RateLimitSetting;
  faults?: FaultSettings;
  /** Knowledge goes pending → indexed after this long; 0 = immediately. @defaultValue 2000 */
  indexingDelayMs?: number;
  logger?: Logger;
}

/** A listening sandbox. */
export interface RunningSandbox {
  /** Base URL, e.g. `http://127.0.0.1:4010`. */
  url: string;
  port: number;
  close(): Promise<void>;
  /** Counters: requests by operation and status, 429s sent, faults injected. */
  stats(): SandboxStats;
}

/** Starts the sandbox and resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const logger = options.logger ?? silentLogger;
  const clock = options.now ?? (() => new Date());
  const now = () => clock().getTime();
  const seed = options.seed ?? DEFAULT_SEED;
  const host = options.host ?? '127.0.0.1';
  const port = checkPort(options.port ?? 4010);
  const rateLimits = checkRateLimits(options.rateLimits ?? 'spec');
  const indexingDelayMs = options.indexingDelayMs ?? 2000;
  if (!(indexingDelayMs >= 0))
    throw new ConfigError(`indexingDelayMs must be 0 or more, got ${indexingDelayMs}`);

  const scenario = resolveScenario(options, seed, clock());
  const store = new SandboxStore(scenario, seed, now());
  const stats = new StatsCollector();
  const indexer = new Indexer(indexingDelayMs, now);
  // Knowledge the scenario lists as still pending gets indexed like a new item.
  for (const item of store.knowledge.values()) {
    if (item.status === 'pending' || item.status === 'indexing') indexer.schedule(item);
  }
  let baseUrl = '';
  const app = await buildServer({
    store,
    limiter: new SandboxRateLimiter(rateLimits),
    faults: new FaultInjector(checkFaults(options.faults ?? {}), seed),
    stats,
    indexer,
    logger,
    now,
    baseUrl: () => baseUrl,
  });
  try {
    await app.listen({ port, host });
  } catch (error) {
    throw new ConfigError(
      `sandbox cannot listen on ${host}:${port}: ${(error as Error).message}`,
      error,
    );
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  baseUrl = `http://${urlHost(host)}:${actualPort}`;
  logger.debug(
    { url: baseUrl, scenario: scenario.name, conversations: scenario.conversations.length },
    'sandbox listening',
  );
  return {
    url: baseUrl,
    port: actualPort,
    close: async () => {
      indexer.close();
      await app.close();
    },
    stats: () => stats.snapshot(),
  };
}

function resolveScenario(options: SandboxOptions, seed: number, now: Date): Scenario {
  const { scenario, conversations } = options;
  if (scenario === undefined || scenario === 'demo') {
    return generateDemoScenario({
      seed,
      now,
      ...(conversations === undefined ? {} : { conversations }),
    });
  }
  if (conversations !== undefined) {
    throw new ConfigError('conversations sizes the demo store only; a scenario brings its own');
  }
  if (typeof scenario === 'string') return loadScenarioFile(scenario);
  return parseScenario(scenario, 'the scenario object');
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigError(`port must be an integer from 0 to 65535, got ${port}`);
  }
  return port;
}

function checkRateLimits(setting: RateLimitSetting): RateLimitSetting {
  if (typeof setting === 'object' && !(setting.scale > 0 && Number.isFinite(setting.scale))) {
    throw new ConfigError(`rateLimits.scale must be a number above 0, got ${setting.scale}`);
  }
  return setting;
}

/** A host for URLs: wildcard addresses become loopback, IPv6 gets brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

import type { Command } from 'commander';
import { ConfigError, isAppError } from '../../src/errors.js';
import { createLogger, type Logger } from '../../src/logger.js';
import {
  DEMO_CONVERSATIONS,
  MAX_DEMO_CONVERSATIONS,
  REVISION,
  SANDBOX_KEYS,
  loadScenarioFile,
  parseFaults,
  parseRateLimits,
  startSandbox,
  type SandboxOptions,
} from '../../src/sandbox/index.js';
import { HOUR_MS } from '../../src/time.js';

interface SandboxCliOptions {
  port: string;
  host: string;
  scenario: string;
  seed: string;
  conversations?: string;
  rateLimits: string;
  faults?: string;
  indexingDelay: string;
}

/** Seams for tests: where output goes and what ends the run (SIGINT/SIGTERM by default). */
export interface SandboxCommandDeps {
  out?: NodeJS.WritableStream;
  logger?: Logger;
  waitForShutdown?: () => Promise<string>;
}

/**
 * `agent-trainer sandbox`: runs the local Customer Agent API until SIGINT/SIGTERM. Bad option
 * values end with a one-line error naming the option.
 */
export function registerSandboxCommand(program: Command, deps: SandboxCommandDeps = {}): void {
  program
    .command('sandbox')
    .description('Run a local, spec-faithful Klaviyo Customer Agent API (demo store by default)')
    .option('--port <port>', 'port to listen on (0 = any free port)', '4010')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--scenario <demo|file>', "'demo' or the path of a scenario JSON file", 'demo')
    .option('--seed <n>', 'seed of the demo data, ids and fault decisions', '42')
    .option(
      '--conversations <n>',
      `size of the demo store, flows in the demo's proportions (default: ${DEMO_CONVERSATIONS})`,
    )
    .option(
      '--rate-limits <spec|off|scale=N>',
      "the spec's limits, none, or windows divided by N",
      'spec',
    )
    .option('--faults <spec>', 'inject faults, e.g. 5xx=0.1,latency=20-80,drop=0.02')
    .option(
      '--indexing-delay <ms>',
      'how long knowledge stays pending before it is indexed',
      '2000',
    )
    .action(async (options: SandboxCliOptions) => {
      await runSandbox(sandboxOptions(options), deps);
    });
}

/** Turns the command-line strings into sandbox options; each error names its option. */
export function sandboxOptions(cli: SandboxCliOptions): SandboxOptions {
  return {
    // Before --scenario, so a flag that does not fit the scenario is named before the file is read.
    ...(cli.conversations === undefined ? {} : { conversations: conversations(cli) }),
    port: integer('--port', cli.port, 0, 65_535),
    host: cli.host,
    scenario:
      cli.scenario === 'demo' ? 'demo' : option('--scenario', () => loadScenarioFile(cli.scenario)),
    seed: integer('--seed', cli.seed, 0, 2 ** 32 - 1),
    rateLimits: option('--rate-limits', () => parseRateLimits(cli.rateLimits)),
    faults: option('--faults', () => parseFaults(cli.faults ?? '')),
    indexingDelayMs: integer('--indexing-delay', cli.indexingDelay, 0, HOUR_MS),
  };
}

async function runSandbox(options: SandboxOptions, deps: SandboxCommandDeps): Promise<void> {
  const out = deps.out ?? process.stdout;
  const logger =
    deps.logger ??
    createLogger({
      level: process.env['LOG_LEVEL'] ?? 'info',
      pretty: Boolean(process.stdout.isTTY),
    });
  const sandbox = await startSandbox({ ...options, logger });
  out.write(
    [
      `Klaviyo Customer Agent sandbox listening on ${sandbox.url}`,
      `  read key:  ${SANDBOX_KEYS.read}  (agents:read)`,
      `  write key: ${SANDBOX_KEYS.write}  (agents:read, agents:write)`,
      `  revision:  ${REVISION}`,
      `  scenario:  ${scenarioName(options)}, rate limits: ${describeLimits(options.rateLimits)}`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  const signal = await (deps.waitForShutdown ?? waitForSignal)();
  await sandbox.close();
  out.write(`Sandbox stopped (${signal}).\n`);
}

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function scenarioName({ scenario, conversations }: SandboxOptions): string {
  if (typeof scenario === 'object') return scenario.name;
  if (scenario !== undefined && scenario !== 'demo') return scenario;
  return `demo (${conversations ?? DEMO_CONVERSATIONS} conversations)`;
}

function describeLimits(limits: SandboxOptions['rateLimits']): string {
  return typeof limits === 'object' ? `scale=${limits.scale}` : (limits ?? 'spec');
}

function integer(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  }
  return n;
}

function conversations(cli: SandboxCliOptions): number {
  if (cli.scenario !== 'demo') {
    throw new ConfigError('--conversations sizes the demo store; use it with --scenario demo');
  }
  return integer('--conversations', cli.conversations ?? '', 1, MAX_DEMO_CONVERSATIONS);
}

function option<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (isAppError(error)) throw new ConfigError(`${name}: ${error.message}`, error);
    throw error;
  }
}

import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli, scratchDir, type CliResult } from './support/cli.js';

/**
 * Bad configuration and bad command-line input, through the real `agent-trainer` process: each
 * ends with a non-zero exit code and ONE line on stderr that names what is wrong (the variable,
 * the flag, the id), never a stack trace. The commands run in parallel, a few at a time.
 */

interface Case {
  name: string;
  args: string[];
  env?: Record<string, string>;
  /** Files the case needs, by name; `{file:<name>}` in env values is replaced by the path. */
  files?: Record<string, string>;
  /** What the one line must name. */
  names: (string | RegExp)[];
}

const prefix = `test-faults-cli-${randomUUID().slice(0, 8)}`;
const UNREACHABLE_REDIS = 'redis://127.0.0.1:1';

const CASES: Case[] = [
  // First: it waits for Redis to answer before giving up.
  {
    name: 'Redis not reachable at REDIS_URL',
    args: ['proposals', 'list'],
    env: { REDIS_URL: UNREACHABLE_REDIS },
    names: [UNREACHABLE_REDIS, 'not reachable'],
  },
  {
    // `run` logs to stderr; the outage must not add a log line before the error.
    name: 'Redis not reachable for a run',
    args: ['run', '--since', '24h'],
    env: { REDIS_URL: UNREACHABLE_REDIS, KLAVIYO_API_KEY: 'pk_test_0' },
    names: [UNREACHABLE_REDIS, 'not reachable'],
  },
  {
    name: 'no KLAVIYO_API_KEY for a run',
    args: ['run', '--since', '24h'],
    names: ['KLAVIYO_API_KEY'],
  },
  {
    name: 'ACCOUNTS_FILE that is not JSON',
    args: ['run'],
    env: { ACCOUNTS_FILE: '{file:accounts.json}' },
    files: { 'accounts.json': '{ "accounts": [ { "id": "store-a", ' },
    names: ['ACCOUNTS_FILE', 'accounts.json', 'JSON'],
  },
  {
    name: 'ACCOUNTS_FILE with an unknown field',
    args: ['run'],
    env: { ACCOUNTS_FILE: '{file:accounts.json}', STORE_A_KEY: 'pk_a' },
    files: {
      'accounts.json': JSON.stringify({
        accounts: [{ id: 'store-a', readKeyEnv: 'STORE_A_KEY', colour: 'blue' }],
      }),
    },
    names: ['ACCOUNTS_FILE', 'accounts.0', 'colour'],
  },
  {
    name: 'ACCOUNTS_FILE naming a key variable that is not set',
    args: ['run'],
    env: { ACCOUNTS_FILE: '{file:accounts.json}' },
    files: {
      'accounts.json': JSON.stringify({ accounts: [{ id: 'store-a', readKeyEnv: 'STORE_A_KEY' }] }),
    },
    names: ['store-a', 'STORE_A_KEY'],
  },
  {
    name: 'REDIS_URL that is not a URL',
    args: ['run'],
    env: { KLAVIYO_API_KEY: 'pk_test_0', REDIS_URL: 'localhost-6379' },
    names: ['REDIS_URL'],
  },
  {
    name: 'LLM_BUDGET_USD=abc',
    args: ['run'],
    env: { KLAVIYO_API_KEY: 'pk_test_0', LLM_BUDGET_USD: 'abc' },
    names: ['LLM_BUDGET_USD', 'number'],
  },
  {
    name: 'SERVER_USERS without passwords, for the server',
    args: ['server', '--port', '0'],
    env: { SERVER_USERS: 'alice,bob' },
    names: ['SERVER_USERS', 'name:password'],
  },
  {
    name: 'SERVER_ADMINS naming nobody the server knows',
    args: ['server', '--port', '0'],
    env: { SERVER_USERS: 'alice:pw', SERVER_ADMINS: 'bob' },
    names: ['SERVER_ADMINS', '"bob"', 'token:<n>'],
  },
  {
    name: 'a header timeout longer than the request timeout',
    args: ['server', '--port', '0'],
    env: { SERVER_TOKENS: 't', SERVER_HEADERS_TIMEOUT_SECONDS: '60' },
    names: ['SERVER_HEADERS_TIMEOUT_SECONDS', 'SERVER_REQUEST_TIMEOUT_SECONDS'],
  },
  {
    name: 'an unknown command',
    args: ['frobnicate'],
    names: ["'frobnicate'", 'unknown command'],
  },
  {
    name: 'run --since yesterdayish',
    args: ['run', '--since', 'yesterdayish'],
    env: { KLAVIYO_API_KEY: 'pk_test_0' },
    names: ['--since', 'yesterdayish'],
  },
  {
    name: 'proposals approve without an id',
    args: ['proposals', 'approve'],
    names: ["'id'", 'missing'],
  },
  {
    name: 'proposals approve with an id that does not exist',
    args: ['proposals', 'approve', 'p_0000000000000000dead'],
    names: ['p_0000000000000000dead'],
  },
  {
    name: 'sandbox --port 99999',
    args: ['sandbox', '--port', '99999'],
    names: ['--port', '99999'],
  },
];

const results = new Map<string, CliResult>();

beforeAll(async () => {
  const scratch = await scratchDir();
  try {
    const queue = [...CASES];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        results.set(next.name, await runCase(next, scratch));
      }
    };
    // Each process compiles the CLI through tsx; four at a time keep two cores busy.
    await Promise.all([worker(), worker(), worker(), worker()]);
  } finally {
    await scratch.cleanup();
  }
}, 240_000);

afterAll(async () => {
  // A `run` that got as far as Redis leaves its queues under the prefix.
  const redis = new Redis(inject('redisUrl'));
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

async function runCase(
  c: Case,
  scratch: Awaited<ReturnType<typeof scratchDir>>,
): Promise<CliResult> {
  const paths: Record<string, string> = {};
  for (const [name, content] of Object.entries(c.files ?? {})) {
    paths[name] = await scratch.file(`${randomUUID().slice(0, 8)}-${name}`, content);
  }
  const env = Object.fromEntries(
    Object.entries({ REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: prefix, ...c.env }).map(
      ([key, value]) => [
        key,
        value.replace(/\{file:([^}]+)\}/, (_, name: string) => paths[name] ?? name),
      ],
    ),
  );
  return runCli(c.args, env);
}

describe('bad configuration and bad input end with one line that names the problem', () => {
  it.each(CASES)('$name', (c) => {
    const result = results.get(c.name);
    if (!result) throw new Error(`${c.name} did not run`);
    expect(result.code, result.stderr).not.toBe(0);
    const stderr = result.stderr.trim();
    expect(stderr.split('\n'), 'stderr has exactly one line').toHaveLength(1);
    expect(stderr).toMatch(/^agent-trainer: /);
    expect(stderr).not.toMatch(/\bat .+:\d+:\d+\)?$|Error: /);
    for (const name of c.names) {
      if (typeof name === 'string') expect(stderr).toContain(name);
      else expect(stderr).toMatch(name);
    }
  });
});

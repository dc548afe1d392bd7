import { startCli, type CliProcess } from './support/process.js';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { generateDemoScenario, SANDBOX_KEYS, type Scenario } from '../../src/sandbox/index.js';
import { ApiProblem } from '../../src/sandbox/http-errors.js';
import type { Stores } from '../../src/store/index.js';
import { accountKey } from '../../src/store/keys.js';

/**
 * What the process-fault tests share: a small demo store (every planted failure, a few
 * successes), the environment of a worker process pointed at it, a proxy between the workers and
 * the sandbox that can hold the sandbox's answers or refuse requests, and reads of the stores the
 * tests assert on.
 */

/** Per planted failure, and for successes: enough for findings (two per group), few calls. */
const PER_LABEL = 3;
const FAILURE_LABELS = [
  'knowledge-gap',
  'misrouted-skill',
  'human-request-ignored',
  'unnecessary-escalation',
  'tone-complaint',
];
const FINAL_STATUSES = new Set(['resolved-by-ai', 'routed-to-team', 'closed']);

/** The demo store cut down to a few finished conversations per planted failure, plus successes. */
export function smallDemoScenario(now: Date): Scenario {
  const demo = generateDemoScenario({ now });
  const finished = demo.conversations.filter((c) => FINAL_STATUSES.has(c.status));
  const pick = (matches: (labels: string[]) => boolean) =>
    finished.filter((c) => matches(c.labels)).slice(0, PER_LABEL);
  const conversations = [
    ...FAILURE_LABELS.flatMap((label) => pick((labels) => labels.includes(label))),
    ...pick((labels) => labels.some((l) => l.startsWith('success'))),
  ].sort((a, b) => a.created_at.localeCompare(b.created_at));
  return { ...demo, name: 'fault tests (small demo)', conversations };
}

/** The ids of a scenario's conversations (all finished in `smallDemoScenario`). */
export function conversationIds(scenario: Scenario): string[] {
  return scenario.conversations.map((c) => {
    if (c.id === undefined) throw new Error('scenario conversations need ids');
    return c.id;
  });
}

export interface WorkerAccount {
  id: string;
  /** Environment of every process of the test (worker, CLI). */
  env: Record<string, string>;
  /** Deletes the accounts file. */
  cleanup(): Promise<void>;
}

/**
 * A uniquely named account (its own rate-limit buckets) in an accounts file, the queue prefix,
 * Redis, Klaviyo through `baseUrl`, and optional Claude. Schedules fire on January 1st only:
 * the tests enqueue what they need.
 */
export async function workerAccount(options: {
  redisUrl: string;
  prefix: string;
  baseUrl: string;
  rateLimitScale: number;
  approver: string;
  extraEnv?: Record<string, string>;
}): Promise<WorkerAccount> {
  const id = `fault-${randomUUID().slice(0, 8)}`;
  const dir = await mkdtemp(join(tmpdir(), 'agent-trainer-faults-'));
  const yearly = { pattern: '0 0 1 1 *', tz: 'UTC' };
  const file = join(dir, 'accounts.json');
  const account = {
    id,
    baseUrl: options.baseUrl,
    readKeyEnv: 'FAULT_TEST_READ_KEY',
    writeKeyEnv: 'FAULT_TEST_WRITE_KEY',
    approvers: [options.approver],
    schedules: { 'pull-conversations': yearly, 'pull-reports': yearly, synthesize: yearly },
  };
  await writeFile(file, JSON.stringify({ accounts: [account] }));
  return {
    id,
    env: {
      REDIS_URL: options.redisUrl,
      QUEUE_PREFIX: options.prefix,
      ACCOUNTS_FILE: file,
      FAULT_TEST_READ_KEY: SANDBOX_KEYS.read,
      FAULT_TEST_WRITE_KEY: SANDBOX_KEYS.write,
      KLAVIYO_RATE_LIMITS: `scale=${options.rateLimitScale}`,
      LOG_LEVEL: 'info',
      ...options.extraEnv,
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A request that changes the agent's configuration (what apply writes; not replays or reports). */
export function isConfigWrite(method: string, path: string): boolean {
  return (
    method !== 'GET' &&
    /^\/api\/(agent-knowledge|agent-skills|agent-tools|agent-secrets|customer-agents\/)/.test(path)
  );
}

export interface ProxiedRequest {
  method: string;
  path: string;
  /** The sandbox's status once it answered (503 for a request the gate refused). */
  status?: number;
}

/**
 * A pass-through proxy in front of the sandbox that records every request and can hold the
 * sandbox's answers: a held request has reached the sandbox and been handled there, but its
 * client gets no answer until `release()` — the window in which a killed worker has written to
 * Klaviyo without knowing it. The upstream request is never aborted by the client going away.
 */
export interface SandboxGate {
  url: string;
  requests: ProxiedRequest[];
  /** Holds the answers of matching requests from now on. */
  holdAnswers(match: (method: string, path: string) => boolean): void;
  /** Answers handled by the sandbox and held back right now. */
  held(): ProxiedRequest[];
  /** Sends the held answers (to clients still there) and stops holding. */
  release(): void;
  /**
   * Answers matching requests 503 without passing them on, as an API outage would (asked per
   * request, so the predicate may open and close the outage).
   */
  refuse(match: (method: string, path: string) => boolean): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export async function startSandboxGate(target: string): Promise<SandboxGate> {
  const upstream = new URL(target);
  const requests: ProxiedRequest[] = [];
  let hold: ((method: string, path: string) => boolean) | undefined;
  let refuse: ((method: string, path: string) => boolean) | undefined;
  const held: { entry: ProxiedRequest; res: ServerResponse; answer: Answer }[] = [];
  const answer = (res: ServerResponse, { status, headers, body }: Answer) => {
    if (res.destroyed) return;
    res.writeHead(status, headers);
    res.end(body);
  };

  const server = createServer((req, res) => {
    const entry: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '' };
    requests.push(entry);
    if (refuse?.(entry.method, entry.path.split('?')[0] ?? '')) {
      entry.status = 503;
      const outage = new ApiProblem(503, [{ detail: 'Unavailable (refused by the test gate).' }]);
      res.writeHead(503, { 'content-type': 'application/vnd.api+json' });
      res.end(JSON.stringify(outage.body()));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: entry.method,
          path: entry.path,
          headers: req.headers,
        },
        (upstreamRes) => {
          const body: Buffer[] = [];
          upstreamRes.on('data', (chunk: Buffer) => body.push(chunk));
          upstreamRes.on('end', () => {
            entry.status = upstreamRes.statusCode ?? 502;
            const result = {
              status: entry.status,
              headers: upstreamRes.headers,
              body: Buffer.concat(body),
            };
            if (hold?.(entry.method, entry.path.split('?')[0] ?? '')) {
              held.push({ entry, res, answer: result });
            } else {
              answer(res, result);
            }
          });
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    holdAnswers(match) {
      hold = match;
    },
    held: () => held.map((h) => h.entry),
    release() {
      hold = undefined;
      for (const h of held.splice(0)) answer(h.res, h.answer);
    },
    refuse(match) {
      refuse = match;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Stored diagnosis records per conversation (each record is one diagnosed version). */
export async function diagnosisRecordCounts(
  redis: Redis,
  prefix: string,
  accountId: string,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const base = accountKey(prefix, accountId, 'diag');
  for (const key of await scanKeys(redis, `${base}:*`)) {
    const conversationId = key.slice(base.length + 1).split(':')[0] ?? '';
    counts.set(conversationId, (counts.get(conversationId) ?? 0) + 1);
  }
  return counts;
}

/** When each conversation's stored diagnosis was written (absent: not diagnosed yet). */
export async function diagnosedAt(
  stores: Stores,
  accountId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const id of ids) {
    const record = await stores.diagnoses.get(accountId, id);
    if (record) found.set(id, record.diagnosedAt);
  }
  return found;
}

export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

/** Deletes a test's keys: its queues and stores, and its account's rate-limit buckets. */
export async function deleteTestKeys(
  redis: Redis,
  prefix: string,
  accountId: string,
): Promise<void> {
  const patterns = [`${prefix}:*`, `agent-trainer:ratelimit:{${accountId}}:*`];
  for (const pattern of patterns) {
    const keys = await scanKeys(redis, pattern);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  }
}

/**
 * `agent-trainer worker` processes started one by one with the account's environment (read when
 * each starts, since the account is set up in `beforeAll`), numbered, and kept for teardown.
 */
export function workerPool(env: () => Record<string, string>): {
  workers: CliProcess[];
  start: () => CliProcess;
} {
  const workers: CliProcess[] = [];
  return {
    workers,
    start() {
      const worker = startCli(['worker', '--no-server'], {
        env: env(),
        name: `worker-${workers.length + 1}`,
      });
      workers.push(worker);
      return worker;
    },
  };
}

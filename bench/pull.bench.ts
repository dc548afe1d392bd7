/**
 * `npm run bench:pull`: pulls every conversation of the demo store, with its messages, from the
 * sandbox under the spec's rate limits (windows scaled so a run takes about a minute), and reports
 * calls per minute as a share of the ceiling, 429s and wall time for:
 *   (a) our client, one process;
 *   (b) the official Klaviyo Node SDK's retry strategy (`RetryWithExponentialBackoff`) — the SDK
 *       has no Customer Agent endpoints yet, so its retrying request function calls them directly;
 *   (c) four processes of ours sharing one key through Redis.
 * Writes the table to BENCHMARKS.md. Needs Redis for (c): REDIS_URL or redis://127.0.0.1:6379.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RetryWithExponentialBackoff } from 'klaviyo-api';
import { createKlaviyoClient, filter, GROUP_LIMITS } from '../src/klaviyo/index.js';
import { forEachConcurrently } from '../src/loop/pull/pull-conversations.js';
import { SANDBOX_KEYS, startSandbox } from '../src/sandbox/index.js';
import { maxInWindow, startArrivalProxy } from './arrival-proxy.js';
import { writeBenchmarkSection } from './benchmarks-file.js';
import { END_OF_WORK, READY } from './pull-shared.js';

const SCALE = Number(process.env['BENCH_SCALE'] ?? 6);
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const SINCE = new Date(Date.now() - 31 * 24 * 3600 * 1000);
const STEADY = GROUP_LIMITS.conversations.steady;
const BURST = GROUP_LIMITS.conversations.burst;
const HEADERS = {
  Authorization: `Klaviyo-API-Key ${SANDBOX_KEYS.read}`,
  revision: '2026-07-15.pre',
  Accept: 'application/vnd.api+json',
};

interface PullOutcome {
  conversations: number;
  messages: number;
  clientErrors: number;
  peakRssMb: number;
}

interface Row extends PullOutcome {
  name: string;
  wallSeconds: number;
  calls: number;
  ceilingShare: number;
  servedShare: number;
  rateLimited: number;
  maxPerSteadyWindow: number;
  maxPerBurstWindow: number;
}

async function measure(name: string, run: (baseUrl: string) => Promise<PullOutcome>): Promise<Row> {
  const sandbox = await startSandbox({ port: 0, scenario: 'demo', rateLimits: { scale: SCALE } });
  const proxy = await startArrivalProxy(sandbox.url);
  process.stderr.write(`${name}: pulling…\n`);
  const started = performance.now();
  const outcome = await run(proxy.url);
  const wallSeconds = (performance.now() - started) / 1000;
  await proxy.close();
  const stats = sandbox.stats();
  await sandbox.close();

  // The conversations group: conversation lists and message fetches (the reports are not pulled).
  const group = proxy.arrivals.filter((a) =>
    a.path.startsWith('/api/customer-agent-conversations'),
  );
  const times = group.map((a) => a.at);
  const served = group.filter((a) => a.status !== 429).length;
  const steadyWindowMs = STEADY.windowMs / SCALE;
  const activeMs = (times.at(-1) ?? 0) - (times[0] ?? 0);
  // Calls the ceiling would allow over the same span (the first call opens the window).
  const allowed = (activeMs / steadyWindowMs) * STEADY.limit + 1;
  const row: Row = {
    name,
    ...outcome,
    wallSeconds,
    calls: times.length,
    ceilingShare: times.length / allowed,
    servedShare: served / allowed,
    rateLimited: stats.rateLimited,
    maxPerSteadyWindow: maxInWindow(times, steadyWindowMs),
    maxPerBurstWindow: maxInWindow(times, BURST.windowMs / SCALE),
  };
  process.stderr.write(`${name}: ${JSON.stringify(row)}\n`);
  return row;
}

const peakRss = () => process.memoryUsage().rss / 2 ** 20;

/** (a) Our client in one process: each listed page's messages fetched three at a time. */
async function ours(baseUrl: string): Promise<PullOutcome> {
  const client = createKlaviyoClient({
    apiKey: SANDBOX_KEYS.read,
    baseUrl,
    rateLimits: { scale: SCALE },
  });
  let conversations = 0;
  let messages = 0;
  let peak = peakRss();
  const listing = client.conversations.list({
    filter: filter().greaterOrEqual('created_at', SINCE),
    pageSize: 100,
  });
  for await (const page of listing.pages()) {
    await forEachConcurrently(page.items, 3, async (conversation) => {
      const fetched = await client.conversations.messages(conversation.id).toArray();
      messages += fetched.length;
      conversations += 1;
      peak = Math.max(peak, peakRss());
    });
  }
  return { conversations, messages, clientErrors: 0, peakRssMb: peak };
}

/** (b) The SDK's retry strategy with its defaults, three requests in flight like ours. */
async function sdk(baseUrl: string): Promise<PullOutcome> {
  const retry = new RetryWithExponentialBackoff();
  let clientErrors = 0;
  const get = async (
    url: string,
  ): Promise<{ data: { id: string }[]; links?: { next?: string } }> => {
    for (;;) {
      try {
        const response = await retry.requestWithRetry({ url, method: 'GET', headers: HEADERS });
        return response.data as { data: { id: string }[]; links?: { next?: string } };
      } catch {
        // The SDK gave up after its retries; a caller must try again for the pull to finish.
        clientErrors += 1;
      }
    }
  };
  const ids: string[] = [];
  const query = new URLSearchParams({
    filter: filter().greaterOrEqual('created_at', SINCE).build(),
    'page[size]': '100',
  });
  let next: string | undefined = `${baseUrl}/api/customer-agent-conversations?${query}`;
  while (next) {
    const page = await get(next);
    ids.push(...page.data.map((c) => c.id));
    next = page.links?.next
      ? `${baseUrl}${new URL(page.links.next).pathname}${new URL(page.links.next).search}`
      : undefined;
  }
  let messages = 0;
  let peak = peakRss();
  const fetchAll = async () => {
    for (let id = ids.shift(); id; id = ids.shift()) {
      let url: string | undefined =
        `${baseUrl}/api/customer-agent-conversations/${id}/customer-agent-messages`;
      while (url) {
        const page = await get(url);
        messages += page.data.length;
        url = page.links?.next
          ? `${baseUrl}${new URL(page.links.next).pathname}${new URL(page.links.next).search}`
          : undefined;
      }
      peak = Math.max(peak, peakRss());
    }
  };
  const total = ids.length;
  await Promise.all([fetchAll(), fetchAll(), fetchAll()]);
  return { conversations: total, messages, clientErrors, peakRssMb: peak };
}

/** (c) Four processes of ours: this one lists, four workers fetch messages; one key, one Redis. */
async function oursFourProcesses(baseUrl: string): Promise<PullOutcome> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const listKey = `bench:pull:${randomUUID()}`;
  const spawned = Array.from({ length: 4 }, () =>
    spawnWorker([
      '--import',
      'tsx',
      'bench/pull-worker.ts',
      baseUrl,
      REDIS_URL,
      listKey,
      String(SCALE),
    ]),
  );
  await Promise.all(spawned.map((w) => w.ready));
  const workers = spawned.map((w) => w.done);
  const client = createKlaviyoClient({
    apiKey: SANDBOX_KEYS.read,
    baseUrl,
    redis,
    rateLimits: { scale: SCALE },
  });
  for await (const conversation of client.conversations.list({
    filter: filter().greaterOrEqual('created_at', SINCE),
    pageSize: 100,
  })) {
    await redis.rpush(listKey, conversation.id);
  }
  await redis.rpush(listKey, ...workers.map(() => END_OF_WORK));
  const results = await Promise.all(workers);
  await redis.del(listKey);
  redis.disconnect();
  return {
    conversations: results.reduce((sum, r) => sum + r.conversations, 0),
    messages: results.reduce((sum, r) => sum + r.messages, 0),
    clientErrors: 0,
    peakRssMb: Math.max(...results.map((r) => r.peakRss / 2 ** 20)),
  };
}

function spawnWorker(args: string[]): {
  ready: Promise<void>;
  done: Promise<{ conversations: number; messages: number; peakRss: number }>;
} {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const ready = new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.startsWith(`${READY}\n`)) resolve();
    });
  });
  const done = new Promise<{ conversations: number; messages: number; peakRss: number }>(
    (resolve, reject) => {
      child.on('exit', (code) => {
        if (code === 0) resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}'));
        else reject(new Error(`pull worker exited with ${code}`));
      });
    },
  );
  return { ready, done };
}

const rows = [
  await measure('(a) agent-trainer client, 1 process', ours),
  await measure('(b) klaviyo-api RetryWithExponentialBackoff, 1 process', sdk),
  await measure('(c) agent-trainer client, 4 processes, one key', oursFourProcesses),
];

const steadyLimit = STEADY.limit;
const burstLimit = BURST.limit;
const table = [
  `| client | conversations | calls | wall time | calls/min vs ceiling | answered (non-429) calls/min vs ceiling | 429s received | max calls in any ${60 / SCALE} s (limit ${steadyLimit}) | max in any ${Math.round(1000 / SCALE)} ms (limit ${burstLimit}) | requests given up by the client | peak RSS |`,
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${r.conversations} | ${r.calls} | ${r.wallSeconds.toFixed(1)} s | ${(r.ceilingShare * 100).toFixed(1)}% | ${(r.servedShare * 100).toFixed(1)}% | ${r.rateLimited} | ${r.maxPerSteadyWindow} | ${r.maxPerBurstWindow} | ${r.clientErrors} | ${r.peakRssMb.toFixed(0)} MB |`,
  ),
].join('\n');
process.stdout.write(`${table}\n`);

await writeBenchmarkSection(
  'pull',
  [
    '## Pull: conversations and messages under the rate limits (`npm run bench:pull`)',
    '',
    `Every conversation of the demo store (seed 42) with its messages, from the sandbox with the spec's`,
    `limits for the conversations group (burst ${burstLimit}/s, steady ${steadyLimit}/min) scaled ${SCALE}×, so one`,
    `minute of the real API is ${(60 / SCALE).toFixed(0)} s here. "calls/min vs ceiling" is the calls the sandbox`,
    'received over the active span, against what the steady limit allows in that span. Arrival times',
    'are taken by a pass-through proxy in front of the sandbox, so the windows are what the server saw.',
    `Measured ${new Date().toISOString().slice(0, 10)} on the 2-core CI machine (Node ${process.version}).`,
    '',
    table,
    '',
    'Reproduce: `npm run bench:pull` (needs Redis for (c): `REDIS_URL`, default redis://127.0.0.1:6379;',
    '`BENCH_SCALE=N` changes the scale).',
  ].join('\n'),
);

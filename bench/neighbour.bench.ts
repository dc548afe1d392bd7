/**
 * `npm run bench:neighbour`: agent-trainer sharing an account's conversations quota with another
 * integration. The sandbox runs the spec's limits scaled (one real minute = 60/SCALE s); the other
 * integration lists conversations with the account's other key at a share of the steady ceiling,
 * starting one window before our pull; our client (one process, limiter in Redis) then fetches
 * the messages of the first conversations listed. For each case: the other's answered rate (as a
 * share of what it wanted) and 429s, ours, and ours as a share of what the other left.
 * Writes its section of BENCHMARKS.md. Needs Redis: REDIS_URL or redis://127.0.0.1:6379.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createKlaviyoClient, filter, GROUP_LIMITS } from '../src/klaviyo/index.js';
import { forEachConcurrently } from '../src/loop/pull/pull-conversations.js';
import { SANDBOX_KEYS, startNeighbour, startSandbox } from '../src/sandbox/index.js';
import { writeBenchmarkSection } from './benchmarks-file.js';

const SCALE = Number(process.env['BENCH_SCALE'] ?? 6);
const CONVERSATIONS = Number(process.env['BENCH_CONVERSATIONS'] ?? 200);
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const STEADY = GROUP_LIMITS.conversations.steady;
const WINDOW_MS = STEADY.windowMs / SCALE;
/** The ceiling in calls per second at this scale. */
const CEILING = (STEADY.limit / WINDOW_MS) * 1000;

interface Case {
  name: string;
  share: number;
  honoursRetryAfter: boolean;
}

interface Row extends Case {
  seconds: number;
  otherWanted: number;
  otherAnswered: number;
  other429: number;
  oursAnswered: number;
  ours429: number;
  oursCalls: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function measure(c: Case): Promise<Row> {
  const sandbox = await startSandbox({ port: 0, scenario: 'demo', rateLimits: { scale: SCALE } });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const otherWanted = CEILING * c.share;
  const other =
    c.share > 0
      ? startNeighbour({
          baseUrl: sandbox.url,
          ratePerSecond: otherWanted,
          honoursRetryAfter: c.honoursRetryAfter,
        })
      : undefined;
  // The other integration was there first: one window on its own.
  if (other) await sleep(WINDOW_MS);
  const before = other?.counts() ?? { answered: 0, rateLimited: 0, failed: 0 };
  let oursAnswered = 0;
  let ours429 = 0;
  const client = createKlaviyoClient({
    apiKey: SANDBOX_KEYS.read,
    baseUrl: sandbox.url,
    redis,
    rateLimits: { scale: SCALE },
    rateLimitKey: `bench-neighbour-${randomUUID()}`,
    onCall: (event) => {
      if (event.status === 429) ours429 += 1;
      else if (event.status !== undefined) oursAnswered += 1;
    },
  });
  process.stderr.write(`${c.name}: pulling…\n`);
  const started = performance.now();
  const ids: string[] = [];
  for await (const conversation of client.conversations.list({
    filter: filter().greaterOrEqual('created_at', new Date(Date.now() - 31 * 24 * 3600 * 1000)),
    pageSize: 100,
  })) {
    ids.push(conversation.id);
    if (ids.length >= CONVERSATIONS) break;
  }
  await forEachConcurrently(ids, 3, async (id) => {
    await client.conversations.messages(id).toArray();
  });
  const seconds = (performance.now() - started) / 1000;
  const after = other ? await other.stop() : before;
  redis.disconnect();
  await sandbox.close();
  const row: Row = {
    ...c,
    seconds,
    otherWanted,
    otherAnswered: (after.answered - before.answered) / seconds,
    other429: after.rateLimited - before.rateLimited,
    oursAnswered: oursAnswered / seconds,
    ours429,
    oursCalls: oursAnswered + ours429,
  };
  process.stderr.write(`${c.name}: ${JSON.stringify(row)}\n`);
  return row;
}

const cases: Case[] = [
  { name: 'none (0%)', share: 0, honoursRetryAfter: true },
  { name: '25%, honours Retry-After', share: 0.25, honoursRetryAfter: true },
  { name: '50%, honours Retry-After', share: 0.5, honoursRetryAfter: true },
  { name: '75%, honours Retry-After', share: 0.75, honoursRetryAfter: true },
  { name: '50%, ignores Retry-After', share: 0.5, honoursRetryAfter: false },
];
const rows: Row[] = [];
for (const c of cases) rows.push(await measure(c));

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const table = [
  '| other integration | wanted calls/s | its answered calls/s (share of its need) | its 429s | our answered calls/s | our 429s (of our calls) | ours as a share of what it left |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => {
    const left = CEILING - r.otherAnswered;
    const need = r.otherWanted > 0 ? ` (${pct(r.otherAnswered / r.otherWanted)})` : '';
    return `| ${r.name} | ${r.otherWanted.toFixed(2)} | ${r.otherAnswered.toFixed(2)}${need} | ${r.other429} | ${r.oursAnswered.toFixed(2)} | ${r.ours429} of ${r.oursCalls} (${pct(r.ours429 / Math.max(1, r.oursCalls))}) | ${pct(r.oursAnswered / left)} |`;
  }),
].join('\n');
process.stdout.write(`${table}\n`);

await writeBenchmarkSection(
  'neighbour',
  [
    '## Sharing the quota with another integration (`npm run bench:neighbour`)',
    '',
    `The sandbox with the spec's limits for the conversations group scaled ${SCALE}× (ceiling`,
    `${CEILING.toFixed(1)} calls/s). Another integration of the same account lists conversations with`,
    "the account's other key at a share of that ceiling, starting one window before us; agent-trainer",
    `(one process, limiter in Redis) then lists and fetches the messages of ${CONVERSATIONS} conversations.`,
    'Rates are over our pull. "What it left" is the ceiling less what the other integration got',
    'answered. The one that ignores `Retry-After` tries again 50 ms after a 429.',
    `Measured ${new Date().toISOString().slice(0, 10)} on the 2-core CI machine (Node ${process.version}).`,
    '',
    table,
    '',
    'Reproduce: `npm run bench:neighbour` (needs Redis: `REDIS_URL`, default redis://127.0.0.1:6379;',
    '`BENCH_SCALE=N` changes the scale, `BENCH_CONVERSATIONS=N` the size of our pull).',
  ].join('\n'),
);

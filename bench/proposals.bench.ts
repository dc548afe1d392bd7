/**
 * `npm run bench:proposals`: how fast the proposal pages answer with 20,000 proposals in Redis.
 * Stores BENCH_PROPOSALS proposals (default 20,000; one account, most of them decided, as a
 * long-running store's history looks) under a fresh prefix, starts the real app and HTTP server,
 * and times through `inject` (no network): the list page's first page, a later page, a status tab,
 * and one proposal's page. For scale, it also times what each list view cost before the indexes:
 * reading and parsing every proposal. Writes BENCHMARKS.md (default size only).
 * Needs Redis: REDIS_URL (default redis://127.0.0.1:6379).
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { startApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { ProposalSchema, type Proposal, type ProposalStatus } from '../src/domain/proposal.js';
import { silentLogger } from '../src/logger.js';
import { createMetrics } from '../src/metrics.js';
import { SANDBOX_KEYS, startSandbox } from '../src/sandbox/index.js';
import { buildServer } from '../src/server/app.js';
import { writeBenchmarkSection } from './benchmarks-file.js';
import { unlinkMatching } from '../src/redis.js';

const DEFAULT_SIZE = 20_000;
const SIZE = Number(process.env['BENCH_PROPOSALS'] ?? DEFAULT_SIZE);
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const REPEATS = 40;
const TOKEN = `bench-${randomUUID()}`;
/** A store's history: most proposals decided, a few waiting. */
const MIX: [ProposalStatus, number][] = [
  ['applied', 0.35],
  ['rejected', 0.25],
  ['expired', 0.2],
  ['reverted', 0.05],
  ['conflict', 0.04],
  ['failed', 0.03],
  ['pending', 0.08],
];

const log = (message: string) => process.stderr.write(`${message}\n`);

function statusOf(i: number): ProposalStatus {
  let at = (i % 100) / 100;
  for (const [status, share] of MIX) {
    if (at < share) return status;
    at -= share;
  }
  return 'pending';
}

/** A realistic proposal (a snippet with its finding, evidence, diff and history). */
function proposalAt(i: number, base: number): Proposal {
  const createdAt = new Date(base + i * 60_000).toISOString();
  const topic = `topic number ${i % 400}`;
  return ProposalSchema.parse({
    id: `p_bench_${String(i).padStart(6, '0')}`,
    accountId: 'default',
    status: statusOf(i),
    title: `Add knowledge snippet "${topic}"`,
    rationale: `12 conversations about "${topic}" failed because the agent lacked the facts.`,
    finding: {
      id: `f_${i}`,
      accountId: 'default',
      category: 'knowledge_gap',
      skillId: null,
      topic,
      conversationIds: Array.from({ length: 12 }, (_, k) => `conv_${i}_${k}`),
      evidence: Array.from({ length: 5 }, (_, k) => ({
        conversationId: `conv_${i}_${k}`,
        messageId: `m_${k}`,
        quote: `Shopper question ${k} about ${topic}, with a sentence or two of context around it.`,
      })),
      metrics: {
        shareOfWindow: 0.04,
        windowConversations: 300,
        resolutionRate: 0.6,
        skillVolume: null,
      },
      impact: 3,
    },
    patch: {
      kind: 'knowledge.create',
      snippet: {
        title: topic,
        content: `Shoppers ask about ${topic}. Answer with the store's policy:\n- What applies: {{fill: ${topic} policy}}`,
      },
    },
    baseline: {
      target: { type: 'agent-knowledge', id: null },
      fields: {},
      updatedAt: null,
      readAt: createdAt,
    },
    diff: `+ ${topic}\n+ Shoppers ask about ${topic}. Answer with the store's policy:`,
    expectedImpact: `Shoppers asking about ${topic} get an answer.`,
    placeholders: [`${topic} policy`],
    revertOf: null,
    createdAt,
    updatedAt: createdAt,
    history: [{ at: createdAt, status: 'pending', actor: 'system', note: 'drafted by rules' }],
    result: {},
  });
}

/** Median and 95th percentile of `REPEATS` runs of `run`, in milliseconds (after one warm-up). */
async function time(run: () => Promise<unknown>): Promise<{ median: number; p95: number }> {
  await run();
  const samples: number[] = [];
  for (let i = 0; i < REPEATS; i += 1) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) =>
    samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  return { median: at(0.5), p95: at(0.95) };
}

const load = loadavg()[0] ?? 0;
const prefix = `bench-proposals-${randomUUID().slice(0, 8)}`;
const sandbox = await startSandbox({ port: 0, rateLimits: 'off', indexingDelayMs: 0 });
const config = loadConfig({
  REDIS_URL,
  QUEUE_PREFIX: prefix,
  KLAVIYO_BASE_URL: sandbox.url,
  KLAVIYO_API_KEY: SANDBOX_KEYS.read,
  LOG_LEVEL: 'silent',
});
const app = await startApp(config, { logger: silentLogger });
const server = buildServer({
  app,
  auth: { tokens: [TOKEN], users: [] },
  logger: silentLogger,
  metrics: createMetrics({ defaultMetrics: false }),
});
await server.ready();
const headers = { authorization: `Bearer ${TOKEN}` };

try {
  log(`bench:proposals: storing ${SIZE} proposals…`);
  const base = Date.parse('2025-01-01T00:00:00.000Z');
  const { proposals } = app.deps.stores;
  for (let i = 0; i < SIZE; i += 500) {
    const batch = Array.from({ length: Math.min(500, SIZE - i) }, (_, k) =>
      proposalAt(i + k, base),
    );
    await Promise.all(batch.map((p) => proposals.create(p)));
  }
  const counts = await proposals.countByStatus();
  const bytes = Number(
    await app.redis.memory('USAGE', `${prefix}:{control}:proposal:p_bench_000000`),
  );

  /** A page request that must answer 200 with `expected` (a proposal id) in its body. */
  const get = (url: string, expected: string) => async () => {
    const res = await server.inject({ url, headers });
    if (res.statusCode !== 200 || !res.body.includes(expected)) {
      throw new Error(`${url} answered ${res.statusCode} without ${expected}`);
    }
  };
  const idAt = (i: number) => `p_bench_${String(i).padStart(6, '0')}`;
  const lastPage = Math.ceil(SIZE / 50);
  const middle = idAt(Math.floor(SIZE / 2));
  let newestPending = SIZE - 1;
  while (statusOf(newestPending) !== 'pending') newestPending -= 1;
  const rows: [string, { median: number; p95: number }][] = [];
  const measure = async (label: string, run: () => Promise<unknown>) => {
    const result = await time(run);
    log(
      `bench:proposals: ${label}: median ${result.median.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms`,
    );
    rows.push([label, result]);
  };
  await measure(
    '`/proposals?status=all` (first page, 50 rows)',
    get('/proposals?status=all', idAt(SIZE - 1)),
  );
  await measure(
    `\`/proposals?status=all&page=${Math.floor(lastPage / 2)}\` (a middle page)`,
    get(
      `/proposals?status=all&page=${Math.floor(lastPage / 2)}`,
      idAt(SIZE - 1 - (Math.floor(lastPage / 2) - 1) * 50),
    ),
  );
  await measure(
    `\`/proposals?status=all&page=${lastPage}\` (the oldest page)`,
    get(`/proposals?status=all&page=${lastPage}`, idAt(0)),
  );
  await measure(
    '`/proposals` (the pending tab, first page)',
    get('/proposals', idAt(newestPending)),
  );
  await measure(
    `\`/proposals/${middle}\` (one proposal's page)`,
    get(`/proposals/${middle}`, middle),
  );
  // What every list view, expiry sweep and synthesis paid before the indexes.
  const ids = await app.redis.zrange(`${prefix}:{control}:proposals:all`, 0, '-1');
  await measure(
    'before the indexes: read and parse every proposal (each list view did)',
    async () => {
      const pipeline = app.redis.pipeline();
      for (const id of ids) pipeline.hget(`${prefix}:{control}:proposal:${id}`, 'json');
      for (const [, json] of (await pipeline.exec()) ?? [])
        ProposalSchema.parse(JSON.parse(String(json)));
    },
  );

  const table = rows
    .map(([label, r]) => `| ${label} | ${r.median.toFixed(1)} ms | ${r.p95.toFixed(1)} ms |`)
    .join('\n');
  const body = `## Proposal pages with ${SIZE.toLocaleString('en-US')} proposals in Redis (\`npm run bench:proposals\`)

${SIZE.toLocaleString('en-US')} proposals of one account (${Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(
      ', ',
    )}; about ${(bytes / 1024).toFixed(1)} kB each in Redis) under a fresh prefix, the real app and
HTTP server, each page requested ${REPEATS} times through \`inject\` with a bearer token after one
warm-up. A list page reads one page of a sorted-set index (50 ids) and those 50 proposals, and
the counts by ZCARD, so its time does not grow with the number of proposals; the last row is what
every list view cost before (reading and parsing all of them).
Measured ${new Date().toISOString().slice(0, 10)} on the 2-core CI machine (Node ${process.version}, load average ${load.toFixed(1)} at the start:
above 2, other work shared the cores and the figures are upper bounds).

| request | median | p95 |
| --- | ---: | ---: |
${table}

Reproduce: \`npm run bench:proposals\` (needs Redis: \`REDIS_URL\`; \`BENCH_PROPOSALS\` changes the size,
and only the default size writes this section).`;
  process.stdout.write(`${body}\n`);
  if (SIZE === DEFAULT_SIZE) await writeBenchmarkSection('proposals', body);
} finally {
  await server.close();
  await unlinkMatching(app.redis, `${prefix}:*`);
  await app.close();
  await sandbox.close();
}

/**
 * `npm run bench:backfill`: a big store's first pull. The sandbox holds 20,000 conversations over
 * 30 days, under the spec's limits scaled SCALE× (one real minute = 60/SCALE s); the real pull
 * (client, Redis limiter, stores), the offline diagnoser and the synthesis run in this process,
 * one stage after the other as a cycle does. Measured: the time to the first proposal
 *   (a) today's order: every conversation's messages before the first synthesis;
 *   (b) failures first: one pull of PULL_MAX_CONVERSATIONS (3,000) — routed and closed first,
 *       then a sample of AI resolutions — then the synthesis; the rest comes in later pulls.
 * Times are also given in real-API terms (× SCALE). Writes its section of BENCHMARKS.md.
 * Needs Redis: REDIS_URL or redis://127.0.0.1:6379.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_PULL_MAX_CONVERSATIONS, loadConfig, sandboxConfig } from '../src/config.js';
import { createDeps } from '../src/deps.js';
import { createLogger } from '../src/logger.js';
import { diagnoseSnapshots, toRulesContext } from '../src/loop/diagnose/diagnose.js';
import { ALL_PATCH_KINDS } from '../src/loop/policy/policy.js';
import { pullIncremental } from '../src/loop/pull/pull-conversations.js';
import { synthesize } from '../src/loop/synthesize/synthesize.js';
import { createRedisConnection } from '../src/redis.js';
import { SANDBOX_KEYS, startSandbox } from '../src/sandbox/index.js';
import { purgeAccount } from '../src/store/purge.js';
import { DAY_MS } from '../src/time.js';
import { writeBenchmarkSection } from './benchmarks-file.js';

const SCALE = Number(process.env['BENCH_SCALE'] ?? 60);
const CONVERSATIONS = Number(process.env['BENCH_CONVERSATIONS'] ?? 20_000);
const BUDGET = Number(process.env['BENCH_BUDGET'] ?? DEFAULT_PULL_MAX_CONVERSATIONS);
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const ACCOUNT = 'bench-backfill';

interface Row {
  name: string;
  fetched: number;
  deferred: number;
  pullSeconds: number;
  firstProposalSeconds: number;
  findings: number;
  proposals: number;
  failuresInFirstDiagnoses: number;
}

async function measure(name: string, maxConversations: number): Promise<Row> {
  const sandbox = await startSandbox({
    port: 0,
    scenario: 'demo',
    conversations: CONVERSATIONS,
    rateLimits: { scale: SCALE },
  });
  const config = sandboxConfig(loadConfig({ REDIS_URL }), {
    accountId: ACCOUNT,
    name: 'backfill bench',
    sandboxUrl: sandbox.url,
    keys: SANDBOX_KEYS,
    redisUrl: REDIS_URL,
    approvers: [],
    allowedKinds: ALL_PATCH_KINDS,
    prefix: `bench-backfill-${randomUUID().slice(0, 8)}`,
  });
  const connection = createRedisConnection(config.redis, { name: 'bench-backfill' });
  const deps = createDeps(config, {
    redis: connection,
    logger: createLogger({ level: 'error' }),
    rateLimits: { scale: SCALE },
  });
  try {
    process.stderr.write(`${name}: pulling…\n`);
    const client = deps.klaviyo(ACCOUNT, 'read');
    const now = new Date();
    const started = performance.now();
    const changed: string[] = [];
    const runId = `bench-${randomUUID().slice(0, 8)}`;
    const pulled = await pullIncremental({
      accountId: ACCOUNT,
      client,
      checkpoints: deps.stores.checkpoints,
      snapshots: deps.stores.snapshots,
      runId,
      overlapMinutes: 60,
      initialDays: 31,
      maxConversations,
      handOff: async (versions) => {
        changed.push(...versions.map((v) => v.id));
      },
    });
    const pullSeconds = (performance.now() - started) / 1000;
    process.stderr.write(`${name}: pulled ${pulled.fetched} in ${pullSeconds.toFixed(0)} s\n`);
    const view = await deps.agentConfig(ACCOUNT);
    let failures = 0;
    for (let i = 0; i < changed.length; i += 500) {
      const snapshots = [];
      for (const id of changed.slice(i, i + 500)) {
        const snapshot = await deps.stores.snapshots.get(ACCOUNT, id);
        if (snapshot) snapshots.push(snapshot);
      }
      const diagnosed = await diagnoseSnapshots({
        accountId: ACCOUNT,
        runId,
        snapshots,
        context: toRulesContext(view),
        stores: deps.stores,
        llm: undefined,
      });
      failures += diagnosed.byOutcome.failure;
    }
    const synthesized = await synthesize({
      accountId: ACCOUNT,
      runId,
      client,
      stores: deps.stores,
      window: {
        from: new Date(now.getTime() - 31 * DAY_MS).toISOString(),
        to: new Date().toISOString(),
      },
      policy: { allowedKinds: ALL_PATCH_KINDS },
      llm: undefined,
    });
    const row: Row = {
      name,
      fetched: pulled.fetched,
      deferred: pulled.deferred,
      pullSeconds,
      firstProposalSeconds: (performance.now() - started) / 1000,
      findings: synthesized.findings.length,
      proposals: synthesized.proposals.length,
      failuresInFirstDiagnoses: failures,
    };
    process.stderr.write(`${name}: ${JSON.stringify(row)}\n`);
    return row;
  } finally {
    await purgeAccount(connection, ACCOUNT, { prefix: config.redis.prefix }).catch(() => {});
    connection.disconnect();
    await sandbox.close();
  }
}

const rows = [
  await measure('(b) failures first, one pull of PULL_MAX_CONVERSATIONS', BUDGET),
  await measure("(a) today's order: the whole window, then synthesis", Infinity),
];

const real = (seconds: number) => {
  const minutes = (seconds * SCALE) / 60;
  return minutes < 90 ? `${minutes.toFixed(0)} min` : `${(minutes / 60).toFixed(1)} h`;
};
const table = [
  '| order | conversations fetched before the first synthesis | left for later pulls | failures among them | time to the first proposal | the same under the real limits | findings / proposals |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${r.fetched} | ${r.deferred} | ${r.failuresInFirstDiagnoses} | ${r.firstProposalSeconds.toFixed(0)} s | ${real(r.firstProposalSeconds)} | ${r.findings} / ${r.proposals} |`,
  ),
].join('\n');
process.stdout.write(`${table}\n`);

await writeBenchmarkSection(
  'backfill',
  [
    "## A big store's first backfill: time to the first proposal (`npm run bench:backfill`)",
    '',
    `The demo store generated at ${CONVERSATIONS.toLocaleString('en-US')} conversations over 30 days, served by the sandbox`,
    `with the spec's limits scaled ${SCALE}× (60 calls a minute become ${SCALE} a second); the real pull`,
    '(client, Redis limiter and stores), the offline rules diagnoser and the synthesis, one after the',
    'other as a cycle runs them. "Under the real limits" multiplies by the scale. Failures first',
    `fetches ${BUDGET.toLocaleString('en-US')} conversations (\`PULL_MAX_CONVERSATIONS\`) — routed to the team or closed first,`,
    'then a 10% sample of AI resolutions — and leaves the rest to the following pulls, which fetch',
    'and diagnose every one in the end (`test/integration/loop/pull.test.ts`).',
    `Measured ${new Date().toISOString().slice(0, 10)} on the 2-core CI machine (Node ${process.version}).`,
    '',
    table,
    '',
    'Reproduce: `npm run bench:backfill` (needs Redis: `REDIS_URL`, default redis://127.0.0.1:6379;',
    '`BENCH_SCALE`, `BENCH_CONVERSATIONS` and `BENCH_BUDGET` change the set-up).',
  ].join('\n'),
);

import { jobs } from '../../jobs/index.js';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { DAY_MS } from '../../src/time.js';
import { startApp, type App } from '../../src/app.js';
import { DEFAULT_ALLOWED_KINDS, loadConfig, sandboxConfig, type Config } from '../../src/config.js';
import { describeError } from '../../src/errors.js';
import { ensureRedis } from '../../src/local-redis.js';
import { createLogger } from '../../src/logger.js';
import type { Proposal } from '../../src/domain/proposal.js';
import { describeReplay } from '../../src/domain/replay.js';
import { isWaiting, targetOf } from '../../src/domain/attribution.js';
import { describeRegression } from '../../src/domain/regression.js';
import type { RegressionCase } from '../../src/store/regression-suite.js';
import { SANDBOX_KEYS, startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { purgeAccount } from '../../src/store/index.js';
import { runCycle, type CycleSummary } from '../cycle.js';
import { demoFills } from '../demo-fills.js';
import { formatProposal } from '../format-proposal.js';
import { positiveInt } from '../options.js';
import { waitUntilSettled } from '../settle.js';
import { createProgressLine } from '../progress.js';

const DEMO_ACCOUNT = 'demo';
const DEMO_APPROVER = 'cli:demo-policy';

interface DemoOptions {
  speed: number;
  seed: number;
  json: boolean;
  interactive: boolean;
}

/**
 * `agent-trainer demo` (`npm run demo`): the whole loop on the embedded sandbox's demo store —
 * pull, diagnose, synthesize, proposals as diffs, approval (by the demo's policy, or by you with
 * `--interactive`), apply, replay verification, and a summary. Rate limits are the spec's, scaled
 * by `--speed` so it takes well under two minutes.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Run the whole training loop once against an embedded sandbox store')
    .option('--speed <n>', 'scale the rate-limit windows by this factor', positiveInt, 20)
    .option('--seed <n>', 'seed of the demo store', positiveInt, 42)
    .option('--interactive', 'approve or reject each proposal yourself', false)
    .option('--json', 'print only the summary, as one JSON object', false)
    .action(async (options: DemoOptions) => {
      await runDemo(options);
    });
}

/** Prints lines for a person; nothing with `--json`, whose only output is the summary. */
type Say = (...lines: string[]) => void;

type DemoSummary = ReturnType<typeof summarize>;

async function runDemo(options: DemoOptions): Promise<void> {
  const say: Say = (...lines) => {
    if (!options.json) process.stdout.write(`${(lines.length ? lines : ['']).join('\n')}\n`);
  };
  const started = Date.now();
  const base = loadConfig();
  const redis = await ensureRedis(base.redis.url);
  const rateLimits = { scale: options.speed };
  const sandbox = await startSandbox({
    port: 0,
    seed: options.seed,
    rateLimits,
    indexingDelayMs: 0,
  });
  const config = demoConfig(base, redis.url, sandbox.url);
  let app: App | undefined;
  try {
    say(`agent-trainer demo: the "Summit & Pine" store in a sandbox at ${sandbox.url}`);
    say(
      `Redis ${redis.startedHere ? 'started for the demo' : 'at ' + redis.url}; LLM: ${config.llm.apiKey ? 'Claude' : 'offline rules (no ANTHROPIC_API_KEY)'}`,
    );
    app = await startApp(config, { logger: createLogger({ level: 'error' }), jobs, rateLimits });
    await purgeAccount(app.redis, DEMO_ACCOUNT, { prefix: config.redis.prefix });
    const cycle = await pullAndSynthesize(app, options, say);
    const proposals = await showProposals(app, cycle, say);
    const approved = await decideEach(app, proposals, options, say);
    const settled = await applyAndVerify(app, approved, say);
    const again = await runAgain(app, say);
    const suite = await app.deps.stores.regressionSuite.list(DEMO_ACCOUNT);
    const summary = summarize({
      cycle,
      proposals,
      approved,
      settled,
      again,
      suite,
      sandbox,
      started,
    });
    if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else printSummary(summary, say);
  } finally {
    await app?.close();
    await sandbox.close();
    await redis.stop();
  }
}

/** Step 1: one cycle over the last 30 days, with a progress line, and the failures found. */
async function pullAndSynthesize(app: App, options: DemoOptions, say: Say): Promise<CycleSummary> {
  say('', '1. Pull, diagnose and synthesize one cycle (30 days)');
  const progress = createProgressLine(process.stderr, options.json);
  const cycle = await runCycle(app, {
    accountId: DEMO_ACCOUNT,
    since: new Date(Date.now() - 31 * DAY_MS),
    days: 31,
    onProgress: (step, detail) => progress.update(`${step}: ${detail}`),
  });
  progress.done();
  say(`   ${cycle.pull.fetched} conversations pulled, ${cycle.diagnosed} diagnosed`);
  for (const [category, n] of Object.entries(cycle.byCategory).sort((a, b) => b[1] - a[1])) {
    say(`     ${category.replace(/_/g, ' ').padEnd(24)} ${n}`);
  }
  return cycle;
}

/** Step 2: the cycle's pending proposals, each as a diff. */
async function showProposals(app: App, cycle: CycleSummary, say: Say): Promise<Proposal[]> {
  const proposals = await loadProposals(app, cycle);
  say('', `2. ${proposals.length} proposals`);
  for (const proposal of proposals) say('', indent(formatProposal(proposal)));
  return proposals;
}

/**
 * The one proposal the demo policy turns down, so that the second run can show a rejected topic
 * staying quiet: the lowest-ranked one that no other proposal's target shares (a shared target is
 * what shows a change waiting behind another) and that is not half of a pair.
 */
function demoRejection(proposals: readonly Proposal[]): string | undefined {
  const targets = proposals.map(targetOf);
  const alone = proposals.filter(
    (p, i) => p.pair === undefined && targets.filter((t) => t === targets[i]).length === 1,
  );
  return alone.at(-1)?.id;
}

const DEMO_REJECTION_REASON =
  'Not now: the demo policy turns one proposal down to show that its topic is not proposed again.';

/**
 * Step 3: each proposal decided through the decide service, by the demo policy (approve with the
 * demo store's facts as fills, but one) or by you; an approval queues its apply at once.
 */
async function decideEach(
  app: App,
  proposals: readonly Proposal[],
  options: DemoOptions,
  say: Say,
): Promise<Proposal[]> {
  say(
    '',
    `3. Approval (${options.interactive ? 'yours' : 'the demo policy approves each one but one, filling placeholders with the demo store facts'})`,
  );
  const approved: Proposal[] = [];
  const rejection = options.interactive ? undefined : demoRejection(proposals);
  for (const proposal of proposals) {
    // The other half of a pair is decided with the first: say so, and decide nothing twice.
    const current = await app.deps.stores.proposals.get(proposal.id);
    if (current !== null && current.status !== 'pending') {
      if (current.status === 'approved') approved.push(current);
      say(`   ${current.status.padEnd(9)} ${proposal.title} (with its pair)`);
      continue;
    }
    const decision = options.interactive
      ? await askDecision(proposal)
      : { approve: proposal.id !== rejection, fills: demoFills(proposal) };
    try {
      if (!decision.approve) {
        await app.decisions.reject({
          proposalId: proposal.id,
          actor: options.interactive ? 'cli:demo-user' : DEMO_APPROVER,
          ...(options.interactive ? {} : { reason: DEMO_REJECTION_REASON }),
        });
        say(`   rejected  ${proposal.title}`);
        continue;
      }
      const { proposal: approvedProposal } = await app.decisions.approve({
        proposalId: proposal.id,
        actor: options.interactive ? 'cli:demo-user' : DEMO_APPROVER,
        fills: decision.fills,
      });
      approved.push(approvedProposal);
      say(`   approved  ${proposal.title}`);
    } catch (error) {
      say(`   not approved: ${proposal.title}: ${describeError(error)}`);
    }
  }
  return approved;
}

/** Step 4: waits for the queued applies, their replays and regression checks; says how each ended. */
async function applyAndVerify(
  app: App,
  approved: readonly Proposal[],
  say: Say,
): Promise<Proposal[]> {
  say('', '4. Apply the approved changes and verify them by replaying the failed conversations');
  const { proposals: settled } = await waitUntilSettled(
    app,
    approved.map((p) => p.id),
    90_000,
    { regressionChecked: true },
  );
  for (const p of settled) {
    const replay = p.result.replay ? ` — ${describeReplay(p.result.replay)}` : '';
    const held = p.attribution.waitingBehind;
    const waits =
      held && isWaiting(p) ? `, waits behind ${held.proposalId} until ${held.until}` : '';
    say(
      `   ${p.status.padEnd(9)} ${p.title}${replay}${waits}${p.result.error ? ` (${p.result.error})` : ''}`,
    );
    if (p.result.regression) say(`             ${describeRegression(p.result.regression)}`);
  }
  return settled;
}

/**
 * Step 5: the next scheduled run, now: nothing new to pull, the same window synthesized again.
 * Applied and waiting proposals stand; the rejected finding is not proposed again.
 */
async function runAgain(app: App, say: Say): Promise<CycleSummary> {
  say('', '5. The next run over the same window');
  const again = await runCycle(app, { accountId: DEMO_ACCOUNT, days: 31 });
  say(
    `   ${again.findings} findings · ${again.created.length} new proposals · ${again.proposals.length - again.created.length} standing`,
  );
  for (const r of again.rejected) say(`   not proposed again: "${r.topic}": ${r.reason}`);
  return again;
}

function summarize(run: {
  cycle: CycleSummary;
  proposals: readonly Proposal[];
  approved: readonly Proposal[];
  settled: readonly Proposal[];
  again: CycleSummary;
  suite: readonly RegressionCase[];
  sandbox: RunningSandbox;
  started: number;
}) {
  const { cycle, settled, sandbox } = run;
  const checks = settled.flatMap((p) => (p.result.regression ? [p.result.regression] : []));
  const sum = <T>(list: readonly T[], of: (item: T) => number | undefined) =>
    list.reduce((n, p) => n + (of(p) ?? 0), 0);
  return {
    conversationsPulled: cycle.pull.fetched,
    diagnosed: cycle.diagnosed,
    failuresByCategory: cycle.byCategory,
    findings: cycle.findings,
    proposals: run.proposals.length,
    approved: run.approved.length,
    applied: settled.filter((p) => p.status === 'applied').length,
    /** Replays before proposing in which the failure happened again, of those judged. */
    reproduced: sum(run.proposals, (p) => p.reproduction?.reproduced),
    reproducedOf: sum(run.proposals, (p) => p.reproduction?.total),
    /** Findings not proposed: none of their replays failed against the live configuration. */
    notReproduced: cycle.unreproduced.length,
    /** Against the baseline where there is one: failed before the change and pass after it. */
    replaysFixed: sum(settled, (p) => p.result.replay?.fixed),
    replaysTotal: sum(settled, (p) => p.result.replay?.total),
    /** Passed before the change, fail after it. */
    newlyBroken: sum(settled, (p) => p.result.replay?.newlyBroken),
    /** Applied proposals whose reproduction was not checked, so counted as before baselines. */
    verifiedWithoutBaseline: settled.filter(
      (p) => p.result.replay !== undefined && p.result.replay.against !== 'baseline',
    ).length,
    /** Held behind another change to the same target while that change's impact is measured. */
    waiting: settled.filter(isWaiting).length,
    rejected: run.proposals.length - run.approved.length,
    /** Findings of the second run a rejection kept from being proposed again. */
    rejectedNotReproposed: run.again.rejected.length,
    newProposalsSecondRun: run.again.created.length,
    /** Cases the verified fixes added to the regression suite. */
    regressionSuite: run.suite.length,
    regressionChecked: sum(checks, (c) => c.checked),
    regressionPassed: sum(checks, (c) => c.passed),
    regressions: sum(checks, (c) => c.regressions.length),
    seconds: Number(((Date.now() - run.started) / 1000).toFixed(1)),
    klaviyoCalls: sandbox.stats().requests,
    rateLimited: sandbox.stats().rateLimited,
  };
}

function printSummary(summary: DemoSummary, say: Say): void {
  say('', 'Summary');
  say(
    `   ${summary.conversationsPulled} conversations pulled · ${Object.values(summary.failuresByCategory).reduce((a, b) => a + b, 0)} failures in ${Object.keys(summary.failuresByCategory).length} categories · ${summary.findings} findings`,
  );
  say(
    `   reproduced in ${summary.reproduced} of ${summary.reproducedOf} replays before proposing · ${summary.notReproduced} findings not proposed (did not reproduce)`,
  );
  say(
    `   ${summary.proposals} proposals · ${summary.approved} approved · ${summary.rejected} rejected · ${summary.applied} applied · ${summary.waiting} waiting behind another change to the same target`,
  );
  say(
    `   replays fixed ${summary.replaysFixed} of ${summary.replaysTotal} against the baseline${summary.verifiedWithoutBaseline ? ` (${summary.verifiedWithoutBaseline} proposals without one)` : ''} · ${summary.newlyBroken} newly broken`,
  );
  say(
    `   regression suite: ${summary.regressionSuite} cases · after each apply ${summary.regressionPassed} of ${summary.regressionChecked} replays passed · ${summary.regressions} regressions`,
  );
  say(
    `   next run: ${summary.newProposalsSecondRun} new proposals · ${summary.rejectedNotReproposed} rejected finding(s) not proposed again`,
  );
  say(
    `   ${summary.klaviyoCalls} API calls, ${summary.rateLimited} rate-limited · ${summary.seconds} s`,
  );
  say('', 'Inspect them: npx agent-trainer proposals list --json (Redis and prefix as above)');
}

function demoConfig(base: Config, redisUrl: string, sandboxUrl: string): Config {
  return sandboxConfig(base, {
    accountId: DEMO_ACCOUNT,
    name: 'Summit & Pine (sandbox)',
    sandboxUrl,
    keys: SANDBOX_KEYS,
    redisUrl,
    approvers: [DEMO_APPROVER, 'cli:demo-user'],
    allowedKinds: DEFAULT_ALLOWED_KINDS,
  });
}

async function loadProposals(app: App, cycle: CycleSummary): Promise<Proposal[]> {
  const found = await Promise.all(cycle.proposals.map((id) => app.deps.stores.proposals.get(id)));
  return found.filter((p): p is Proposal => p !== null && p.status === 'pending');
}

async function askDecision(
  proposal: Proposal,
): Promise<{ approve: boolean; fills: Record<string, string> }> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = (await rl.question(`Approve "${proposal.title}"? [y/N] `)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') return { approve: false, fills: {} };
    const fills: Record<string, string> = {};
    for (const description of proposal.placeholders) {
      fills[description] = (await rl.question(`  Fill {{fill: ${description}}}: `)).trim();
    }
    return { approve: true, fills };
  } finally {
    rl.close();
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `   ${line}`)
    .join('\n');
}

import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { createKlaviyoClient } from '../../klaviyo/index.js';
import { filter } from '../../klaviyo/index.js';
import { forEachConcurrently } from '../../loop/pull-conversations.js';
import { SANDBOX_KEYS, startSandbox } from '../../sandbox/index.js';
import { createProgressLine } from '../progress.js';

const DAY_MS = 24 * 60 * 60 * 1000;

interface DemoOptions {
  speed: number;
  seed: number;
  json: boolean;
}

/**
 * `agent-trainer demo`: starts the embedded sandbox with the demo store and pulls from it with the
 * real client, under the spec's rate limits scaled by `--speed` so the run takes seconds.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Pull the demo store from an embedded sandbox and summarize what was pulled')
    .option('--speed <n>', 'scale the rate-limit windows by this factor', positiveInt, 20)
    .option('--seed <n>', 'seed of the demo scenario', positiveInt, 42)
    .option('--json', 'print the summary as one JSON object', false)
    .action(async (options: DemoOptions) => {
      await runDemo(options);
    });
}

async function runDemo(options: DemoOptions): Promise<void> {
  const log = (line: string) => {
    if (!options.json) process.stdout.write(`${line}\n`);
  };
  const rateLimits = { scale: options.speed };
  const sandbox = await startSandbox({ port: 0, scenario: 'demo', seed: options.seed, rateLimits });
  try {
    log(`Sandbox: demo store (seed ${options.seed}) at ${sandbox.url}`);
    const client = createKlaviyoClient({
      apiKey: SANDBOX_KEYS.read,
      baseUrl: sandbox.url,
      rateLimits,
    });

    const agent = await client.agent.get();
    const skills = await collect(client.skills.list());
    const knowledge = await collect(client.knowledge.list());
    log(
      `Agent "${agent.attributes.name ?? agent.id}": ${skills.length} skills, ` +
        `${knowledge.length} knowledge sources, ${agent.attributes.escalation_rules.length} escalation rules`,
    );

    const since = new Date(Date.now() - 30 * DAY_MS);
    log(
      `Pulling conversations since ${since.toISOString()} (rate limits scaled ${options.speed}x)`,
    );
    const progress = createProgressLine(process.stderr, options.json);
    const started = Date.now();
    const byStatus: Record<string, number> = {};
    let conversations = 0;
    let messages = 0;
    const listing = client.conversations.list({
      filter: filter().greaterOrEqual('created_at', since),
      pageSize: 100,
    });
    for await (const page of listing.pages()) {
      await forEachConcurrently(page.items, 3, async (conversation) => {
        const fetched = await client.conversations.messages(conversation.id).toArray();
        messages += fetched.length;
        conversations += 1;
        const status = conversation.attributes.status;
        byStatus[status] = (byStatus[status] ?? 0) + 1;
        progress.update(`${conversations} conversations pulled`);
      });
    }
    progress.done();
    const seconds = (Date.now() - started) / 1000;

    const timeframe = { start: since.toISOString(), end: new Date().toISOString() };
    const values = await client.reports.values({
      statistics: ['volume', 'resolution-rate'],
      timeframe,
    });
    const skillValues = await client.reports.skillValues({
      statistics: ['volume'],
      groupings: ['skill'],
      timeframe,
    });

    const summary = {
      sandbox: sandbox.url,
      conversations,
      messages,
      seconds: Number(seconds.toFixed(1)),
      byStatus,
      report: values.attributes.results,
      skillReport: skillValues.attributes.results,
      calls: sandbox.stats(),
    };
    if (options.json) {
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      return;
    }
    log(
      `Pulled ${conversations} conversations with ${messages} messages in ${seconds.toFixed(1)} s`,
    );
    for (const [status, count] of Object.entries(byStatus).sort((a, b) => b[1] - a[1])) {
      log(`  ${status.padEnd(16)} ${count}`);
    }
    for (const row of values.attributes.results) {
      log(`Report: ${JSON.stringify(row.statistics)}`);
    }
    for (const row of skillValues.attributes.results) {
      log(`  skill ${JSON.stringify(row.groupings)}: ${JSON.stringify(row.statistics)}`);
    }
  } finally {
    await sandbox.close();
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

import type { Command } from 'commander';
import Anthropic from '@anthropic-ai/sdk';
import { WebClient } from '@slack/web-api';
import { loadConfig, type AccountConfig, type Config } from '../../src/config.js';
import { describeError } from '../../src/errors.js';
import {
  createKlaviyoClient,
  KlaviyoApiError,
  type KlaviyoClient,
} from '../../src/klaviyo/index.js';
import { checkRedis, createRedisConnection, redactRedisUrl } from '../../src/redis.js';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/**
 * `agent-trainer doctor`: checks the deployment without changing anything — Redis reachable and
 * `noeviction`, each account's read key (a GET) and write key (a preview turn: it needs
 * `agents:write` but is not billed and not stored), the Anthropic key, the Slack token.
 */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('Check Redis, Klaviyo keys, the Anthropic key and Slack, changing nothing')
    .option('--json', 'print the checks as JSON', false)
    .action(async (options: { json: boolean }) => {
      const config = loadConfig();
      const checks: Check[] = [await checkRedisSetting(config)];
      for (const account of config.accounts) checks.push(...(await checkAccount(config, account)));
      checks.push(await checkAnthropic(config));
      checks.push(await checkSlack(config));
      if (options.json) {
        process.stdout.write(`${JSON.stringify(checks)}\n`);
      } else {
        for (const c of checks)
          process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}\n`);
      }
      if (checks.some((c) => !c.ok)) process.exitCode = 1;
    });
}

async function checkRedisSetting(config: Config): Promise<Check> {
  const name = 'redis';
  const redis = createRedisConnection(config.redis, { name: 'doctor' });
  try {
    const result = await Promise.race([
      checkRedis(redis),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no answer in 5 s')), 5000),
      ),
    ]);
    const detail = [
      `${redactRedisUrl(config.redis.url)} (Redis ${result.version ?? '?'}, maxmemory-policy ${result.maxmemoryPolicy ?? 'unknown'})`,
      ...result.problems,
      ...result.warnings,
    ].join('; ');
    return { name, ok: result.ok, detail };
  } catch (error) {
    return {
      name,
      ok: false,
      detail: `${redactRedisUrl(config.redis.url)}: ${describeError(error)}`,
    };
  } finally {
    redis.disconnect();
  }
}

async function checkAccount(config: Config, account: AccountConfig): Promise<Check[]> {
  const client = (apiKey: string) =>
    createKlaviyoClient({
      apiKey,
      baseUrl: account.baseUrl,
      revision: config.klaviyo.revision,
      maxRetries: 1,
    });
  const read = await checkReadKey(account, client);
  const write = await checkWriteKey(account, client);
  return [read, write];
}

type ClientFor = (apiKey: string) => KlaviyoClient;

/** The read key reads the agent. */
async function checkReadKey(account: AccountConfig, client: ClientFor): Promise<Check> {
  const name = `account ${account.id}: read key`;
  if (!account.readKey) return { name, ok: false, detail: 'not set (KLAVIYO_API_KEY)' };
  const reader = client(account.readKey);
  try {
    const agent = await reader.agent.get();
    return {
      name,
      ok: true,
      detail: `${reader.keyFingerprint} reads agent "${agent.attributes.name ?? agent.id}" at ${account.baseUrl}`,
    };
  } catch (error) {
    return { name, ok: false, detail: describeError(error) };
  }
}

/** The write key runs a preview turn (not billed), which needs agents:write as apply does. */
async function checkWriteKey(account: AccountConfig, client: ClientFor): Promise<Check> {
  const name = `account ${account.id}: write key`;
  if (!account.writeKey) {
    return { name, ok: false, detail: 'not set: approved changes cannot be applied' };
  }
  const writer = client(account.writeKey);
  try {
    await writer.responses.create({
      mode: 'preview',
      messages: [{ role: 'user', content: 'agent-trainer doctor: checking write access' }],
    });
    return {
      name,
      ok: true,
      detail: `${writer.keyFingerprint} has agents:write (preview turn, not billed)`,
    };
  } catch (error) {
    const detail =
      error instanceof KlaviyoApiError && error.status === 403
        ? `${writer.keyFingerprint} lacks agents:write: approved changes cannot be applied`
        : describeError(error);
    return { name, ok: false, detail };
  }
}

async function checkAnthropic(config: Config): Promise<Check> {
  const name = 'anthropic';
  if (!config.llm.apiKey) {
    return {
      name,
      ok: true,
      detail: 'ANTHROPIC_API_KEY not set: the offline rules diagnoser and drafter run',
    };
  }
  const client = new Anthropic({
    apiKey: config.llm.apiKey,
    ...(config.llm.baseUrl ? { baseURL: config.llm.baseUrl } : {}),
    maxRetries: 1,
    timeout: 15_000,
  });
  try {
    await client.messages.countTokens({
      model: config.llm.models.diagnose,
      messages: [{ role: 'user', content: 'ping' }],
    });
    return {
      name,
      ok: true,
      detail: `key accepted; models ${Object.values(config.llm.models).join(', ')}`,
    };
  } catch (error) {
    return { name, ok: false, detail: describeError(error) };
  }
}

async function checkSlack(config: Config): Promise<Check> {
  const name = 'slack';
  const { botToken, signingSecret, apiUrl } = config.slack;
  if (!botToken) {
    return { name, ok: true, detail: 'SLACK_BOT_TOKEN not set: approvals by CLI' };
  }
  if (!signingSecret) {
    return {
      name,
      ok: false,
      detail: 'SLACK_SIGNING_SECRET is missing: Slack clicks cannot be verified',
    };
  }
  const web = new WebClient(botToken, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 0 },
    timeout: 10_000,
  });
  try {
    const auth = await web.auth.test();
    const channels = config.accounts.filter((a) => a.slackChannel).length;
    return {
      name,
      ok: channels > 0,
      detail:
        `token works (team ${auth.team ?? '?'}, bot ${auth.user ?? '?'}); ` +
        (channels > 0
          ? `${channels} account(s) with a channel`
          : 'no account has a Slack channel (SLACK_CHANNEL)'),
    };
  } catch (error) {
    return { name, ok: false, detail: `SLACK_BOT_TOKEN rejected: ${describeError(error)}` };
  }
}

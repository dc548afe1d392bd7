import { expect } from 'vitest';
import { KlaviyoApiError, createKlaviyoClient } from '../../../src/klaviyo/index.js';
import type { ContractProxy, Exchange } from '../../helpers/contract-proxy.js';
import type { ProblemKind } from '../../helpers/openapi.js';
import type { Clients } from './drive-config.js';

/**
 * Drives the error responses: through the client where it can send the mistake (bad key, read key
 * writing, unknown id, duplicate URL), and raw where the client never would (no revision header,
 * a bad filter, an oversized page, a body without `data.type`).
 */

const REVISION = '2026-07-15.pre';
const JSON_API = 'application/vnd.api+json';

/** A request sent on purpose against the spec, with what the validator must flag. */
export interface DeliberateMistake {
  label: string;
  exchange: Exchange;
  flaggedAs: ProblemKind;
}

async function expectStatus(call: Promise<unknown>, status: number): Promise<void> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KlaviyoApiError);
  expect((error as KlaviyoApiError).status).toBe(status);
  expect((error as KlaviyoApiError).errors.length).toBeGreaterThan(0);
}

/** 401, 403, 404 and 409 through the client. */
export async function driveClientErrors({ read, write }: Clients, baseUrl: string): Promise<void> {
  const stranger = createKlaviyoClient({
    apiKey: 'pk_not_a_sandbox_key',
    baseUrl,
    rateLimits: 'off',
    maxRetries: 0,
  });
  await expectStatus(stranger.skills.list().toArray(), 401);
  await expectStatus(
    read.skills.create({ display_name: 'x', description: 'x', instructions: 'x', status: 'draft' }),
    403,
  );
  await expectStatus(read.skills.get('custom:no-such-skill'), 404);
  await expectStatus(read.conversations.get('no-such-conversation'), 404);

  const url = 'https://contract-shop.example/duplicate';
  const first = await write.knowledge.create({ source_type: 'webpage', url });
  await expectStatus(write.knowledge.create({ source_type: 'webpage', url }), 409);
  await write.knowledge.delete(first.id);
}

interface RawCall {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  flaggedAs: ProblemKind;
}

/** Raw 400s: each request breaks the spec in one way the validator must name. */
export async function driveRawMistakes(
  proxy: ContractProxy,
  keys: { read: string; write: string },
): Promise<DeliberateMistake[]> {
  const auth = (key: string) => ({ authorization: `Klaviyo-API-Key ${key}`, accept: JSON_API });
  const readHeaders = { ...auth(keys.read), revision: REVISION };
  const calls: RawCall[] = [
    {
      label: 'no revision header',
      method: 'GET',
      path: '/api/agent-skills',
      headers: auth(keys.read),
      flaggedAs: 'header',
    },
    {
      label: 'filter on an unknown field',
      method: 'GET',
      path: `/api/customer-agent-conversations?filter=${encodeURIComponent('equals(channel,"sms")')}`,
      headers: readHeaders,
      flaggedAs: 'query',
    },
    {
      label: 'page[size]=101',
      method: 'GET',
      path: '/api/customer-agent-conversations?page%5Bsize%5D=101',
      headers: readHeaders,
      flaggedAs: 'query',
    },
    {
      label: 'body without data.type',
      method: 'POST',
      path: '/api/agent-skills',
      headers: { ...auth(keys.write), revision: REVISION, 'content-type': JSON_API },
      body: JSON.stringify({
        data: {
          attributes: { display_name: 'x', description: 'x', instructions: 'x', status: 'draft' },
        },
      }),
      flaggedAs: 'body',
    },
  ];
  const mistakes: DeliberateMistake[] = [];
  for (const call of calls) {
    const before = proxy.exchanges.length;
    const response = await fetch(`${proxy.url}${call.path}`, {
      method: call.method,
      headers: call.headers,
      ...(call.body === undefined ? {} : { body: call.body }),
    });
    await response.arrayBuffer();
    expect({ label: call.label, status: response.status }).toEqual({
      label: call.label,
      status: 400,
    });
    const exchange = proxy.exchanges[before];
    if (!exchange) throw new Error(`${call.label}: the proxy recorded nothing`);
    mistakes.push({ label: call.label, exchange, flaggedAs: call.flaggedAs });
  }
  return mistakes;
}

/** Bounds for hammering a rate-limited sandbox: a few rounds of concurrent reads. */
const HAMMER_ROUNDS = 5;
const HAMMER_CONCURRENCY = 8;

/**
 * Raw concurrent reads of the conversations group (burst 3/s in the spec) until one answers 429.
 * Raw because the client paces itself and retries 429s. Returns the 429 exchanges.
 */
export async function hammerUntilThrottled(
  proxy: ContractProxy,
  readKey: string,
): Promise<Exchange[]> {
  const headers = {
    authorization: `Klaviyo-API-Key ${readKey}`,
    revision: REVISION,
    accept: JSON_API,
  };
  for (let round = 0; round < HAMMER_ROUNDS; round += 1) {
    const calls = Array.from({ length: HAMMER_CONCURRENCY }, () =>
      fetch(`${proxy.url}/api/customer-agent-conversations?page%5Bsize%5D=1`, { headers }).then(
        (r) => r.arrayBuffer(),
      ),
    );
    await Promise.all(calls);
    const throttled = proxy.exchanges.filter((e) => e.response.status === 429);
    if (throttled.length > 0) return throttled;
  }
  return [];
}

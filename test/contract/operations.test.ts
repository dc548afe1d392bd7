import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKlaviyoClient } from '../../src/klaviyo/index.js';
import { SANDBOX_KEYS, startSandbox } from '../../src/sandbox/index.js';
import { startContractProxy } from '../helpers/contract-proxy.js';
import type { ContractProxy, Exchange } from '../helpers/contract-proxy.js';
import { allOperations, validateRequest } from '../helpers/openapi.js';
import { deleteConfiguration, driveConfiguration } from './support/drive-config.js';
import type { Clients, CreatedConfig } from './support/drive-config.js';
import { driveConversations, driveReports, driveTurn } from './support/drive-conversations.js';
import {
  driveClientErrors,
  driveRawMistakes,
  hammerUntilThrottled,
} from './support/drive-errors.js';
import type { DeliberateMistake } from './support/drive-errors.js';
import { requestProblems, responseProblems, succeededOperations } from './support/exchanges.js';

/**
 * The contract test: the real client talks to the sandbox through a recording proxy, every
 * operation of the spec is driven (and the main error responses), and then every recorded request
 * and response is validated against the OpenAPI file. Steps share state and run in order.
 */

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

describe('contract: client and sandbox against the OpenAPI spec', () => {
  let sandbox: Sandbox;
  let proxy: ContractProxy;
  let clients: Clients;
  let created: CreatedConfig | undefined;
  let mistakes: DeliberateMistake[] = [];
  /** Exchanges recorded by the rate-limited sandbox's proxy. */
  let throttledExchanges: readonly Exchange[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      scenario: 'demo',
      rateLimits: 'off',
      indexingDelayMs: 0,
    });
    proxy = await startContractProxy(sandbox.url);
    const client = (apiKey: string) =>
      createKlaviyoClient({ apiKey, baseUrl: proxy.url, rateLimits: 'off', maxRetries: 0 });
    clients = { read: client(SANDBOX_KEYS.read), write: client(SANDBOX_KEYS.write) };
  });

  afterAll(async () => {
    await proxy?.close();
    await sandbox?.close();
  });

  it('drives the agent, secrets, tools, skills and knowledge', async () => {
    created = await driveConfiguration(clients);
  });

  it('drives conversations, messages, reports and a preview turn', async () => {
    await driveConversations(clients);
    await driveReports(clients);
    await driveTurn(clients);
  });

  it('deletes what it created', async () => {
    if (!created) throw new Error('the configuration step did not finish');
    await deleteConfiguration(clients, created);
  });

  it('gets 401, 403, 404 and 409 through the client', async () => {
    await driveClientErrors(clients, proxy.url);
  });

  it('gets 400 for raw requests that break the spec', async () => {
    mistakes = await driveRawMistakes(proxy, SANDBOX_KEYS);
  });

  it('gets 429 with Retry-After from a rate-limited sandbox', async () => {
    const limited = await startSandbox({ port: 0, scenario: 'demo', rateLimits: { scale: 10 } });
    const limitedProxy = await startContractProxy(limited.url);
    try {
      const throttled = await hammerUntilThrottled(limitedProxy, SANDBOX_KEYS.read);
      expect(throttled.length).toBeGreaterThan(0);
      for (const { response } of throttled)
        expect(response.headers['retry-after']).toMatch(/^\d+$/);
      throttledExchanges = [...limitedProxy.exchanges];
    } finally {
      await limitedProxy.close();
      await limited.close();
    }
  });

  it('followed links.next through the proxy (no absolute-URL rewrite needed)', () => {
    const followed = proxy.exchanges.filter((e) =>
      new URL(e.request.url, proxy.url).searchParams.has('page[cursor]'),
    );
    expect(followed.length).toBeGreaterThan(0);
    expect(followed.every((e) => e.response.status === 200)).toBe(true);
  });

  it('sent only requests that follow the spec, except the deliberate mistakes', () => {
    const deliberate = new Set(mistakes.map((m) => m.exchange));
    const sent = [...proxy.exchanges, ...throttledExchanges].filter((e) => !deliberate.has(e));
    expect(requestProblems(sent)).toEqual({});
  });

  it('flags each deliberate mistake in the validator', () => {
    expect(mistakes.length).toBe(4);
    for (const { label, exchange, flaggedAs } of mistakes) {
      const kinds = validateRequest(exchange.request).map((p) => p.kind);
      expect({ label, kinds }).toEqual({ label, kinds: [flaggedAs] });
    }
  });

  it('received only responses that follow the spec, errors included', () => {
    expect(responseProblems([...proxy.exchanges, ...throttledExchanges])).toEqual({});
  });

  it('exercised every operation of the spec successfully', () => {
    const exercised = succeededOperations(proxy.exchanges);
    const missing = allOperations()
      .map((o) => o.operationId)
      .filter((id) => !exercised.has(id));
    expect(missing).toEqual([]);
    expect(exercised.size).toBe(allOperations().length);
  });
});

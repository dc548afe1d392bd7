import { afterEach, describe, expect, it } from 'vitest';
import {
  createKlaviyoClient,
  filter,
  KlaviyoApiError,
  KlaviyoResponseInvalidError,
  type KlaviyoClientOptions,
} from '../../../src/klaviyo/index.js';
import { fixtures, startFakeServer, type FakeHandler, type FakeServer } from './fake-server.js';

const API_KEY = 'pk_http_test_0123456789abcdef';
let server: FakeServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(handler: FakeHandler, options: Partial<KlaviyoClientOptions> = {}) {
  server = await startFakeServer(handler);
  const client = createKlaviyoClient({
    apiKey: API_KEY,
    baseUrl: server.url,
    rateLimits: 'off',
    retryBackoff: { baseMs: 10, maxMs: 20 },
    ...options,
  });
  return { client, server };
}

describe('klaviyo client over HTTP', () => {
  it('sends auth, revision and JSON:API headers and a wrapped body', async () => {
    const { client, server } = await setup(() => ({
      status: 201,
      body: { data: fixtures.skill('sk_1') },
    }));
    await client.skills.create(
      { display_name: 'Returns', description: 'd', instructions: 'i', status: 'draft' },
      { toolIds: ['t_1'] },
    );
    const req = server.requests[0];
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/api/agent-skills');
    expect(req?.headers['authorization']).toBe(`Klaviyo-API-Key ${API_KEY}`);
    expect(req?.headers['revision']).toBe('2026-07-15.pre');
    expect(req?.headers['accept']).toBe('application/vnd.api+json');
    expect(req?.headers['content-type']).toBe('application/vnd.api+json');
    expect(JSON.parse(req?.body.toString() ?? '')).toEqual({
      data: {
        type: 'agent-skill',
        attributes: {
          display_name: 'Returns',
          description: 'd',
          instructions: 'i',
          status: 'draft',
        },
        relationships: { 'agent-tools': { data: [{ type: 'agent-tool', id: 't_1' }] } },
      },
    });
  });

  it('follows links.next across pages on our own base URL, with filter and page size', async () => {
    const { client, server } = await setup((req) => {
      const cursor = req.query.get('page[cursor]');
      // The server's links point at another host; the client must keep its base URL.
      const next = (c: string) =>
        `https://a.klaviyo.com/api/customer-agent-conversations?page%5Bcursor%5D=${c}&page%5Bsize%5D=2`;
      if (cursor === null) {
        return {
          body: {
            data: [fixtures.conversation('c1'), fixtures.conversation('c2')],
            links: { next: next('p2') },
          },
        };
      }
      if (cursor === 'p2') {
        return { body: { data: [fixtures.conversation('c3')], links: { next: next('p3') } } };
      }
      return { body: { data: [], links: { next: null } } };
    });
    const since = new Date('2026-06-01T00:00:00Z');
    const listing = client.conversations.list({
      filter: filter().greaterOrEqual('created_at', since).anyOf('status', ['open', 'closed']),
      pageSize: 2,
    });
    const pages = [];
    for await (const page of listing.pages()) pages.push(page);
    expect(pages.map((p) => p.items.map((c) => c.id))).toEqual([['c1', 'c2'], ['c3'], []]);
    expect(pages.map((p) => p.nextCursor)).toEqual(['p2', 'p3', undefined]);
    expect(server.requests).toHaveLength(3);
    expect(server.requests[0]?.query.get('filter')).toBe(
      'greater-or-equal(created_at,2026-06-01T00:00:00+00:00),any(status,["open","closed"])',
    );
    expect(server.requests[0]?.query.get('page[size]')).toBe('2');
    expect(server.requests[1]?.query.get('page[cursor]')).toBe('p2');
    // Items iterate across pages too.
    const ids = [];
    for await (const conversation of listing) ids.push(conversation.id);
    expect(ids).toEqual(['c1', 'c2', 'c3']);
  });

  it('reads the singleton agent by placeholder and patches it by its real id', async () => {
    const agent = {
      type: 'customer-agent',
      id: 'ca_real',
      attributes: {
        name: 'Ava',
        tone_of_voice: { preset: 'friendly' },
        escalation_rules: [],
        communication_styles: [],
      },
    };
    const { client, server } = await setup(() => ({ body: { data: agent } }));
    await client.agent.update({
      escalation_rules: [{ title: 'Refunds', description: 'over $100', status: 'enabled' }],
    });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/customer-agents/me',
      'PATCH /api/customer-agents/ca_real',
    ]);
    const body = JSON.parse(server.requests[1]?.body.toString() ?? '') as { data: { id: string } };
    expect(body.data.id).toBe('ca_real');
  });

  it('uploads knowledge files as multipart with title and file', async () => {
    const { client, server } = await setup(() => ({
      status: 201,
      body: { data: fixtures.knowledge('k_1') },
    }));
    await client.knowledge.uploadFile({
      filename: 'faq.txt',
      content: new TextEncoder().encode('Shipping takes 3 days.'),
      contentType: 'text/plain',
    });
    const req = server.requests[0];
    expect(req?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const text = req?.body.toString() ?? '';
    expect(text).toContain('name="title"\r\n\r\nfaq.txt');
    expect(text).toContain('name="file"; filename="faq.txt"');
    expect(text).toContain('Shipping takes 3 days.');
  });

  it('runs a turn continuing a conversation', async () => {
    const { client, server } = await setup(() => ({
      status: 201,
      body: { data: fixtures.agentResponse('conv_1') },
    }));
    const response = await client.responses.create(
      { mode: 'preview', messages: [{ role: 'user', content: 'Where is my order?' }] },
      { conversationId: 'conv_1' },
    );
    expect(response.attributes.events[0]).toEqual({
      type: 'message',
      role: 'agent',
      content: 'Hello!',
    });
    const body = JSON.parse(server.requests[0]?.body.toString() ?? '') as {
      data: { relationships: unknown };
    };
    expect(body.data.relationships).toEqual({
      conversation: { data: { type: 'customer-agent-conversation', id: 'conv_1' } },
    });
  });

  it('maps a 400 to a KlaviyoApiError naming the field', async () => {
    const { client } = await setup(() => ({
      status: 400,
      body: {
        errors: [
          {
            id: 'err-1',
            code: 'invalid',
            title: 'Invalid input',
            detail: 'must be one of draft, live',
            source: { pointer: '/data/attributes/status' },
          },
        ],
      },
    }));
    const error = await client.skills
      .update('sk_1', { display_name: 'X' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KlaviyoApiError);
    expect((error as KlaviyoApiError).status).toBe(400);
    expect((error as KlaviyoApiError).message).toContain(
      '/data/attributes/status: must be one of draft, live',
    );
    expect((error as KlaviyoApiError).retryable).toBe(false);
  });

  it('rejects a 2xx body that does not match the schema with klaviyo_response_invalid', async () => {
    const { client } = await setup(() => ({ body: { data: { type: 'agent-skill', id: 'x' } } }));
    const error = await client.skills.get('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KlaviyoResponseInvalidError);
    expect((error as KlaviyoResponseInvalidError).code).toBe('klaviyo_response_invalid');
    expect((error as KlaviyoResponseInvalidError).message).toContain('data.attributes');
  });

  it('tolerates unknown fields in responses', async () => {
    const skill = { ...fixtures.skill('sk_9'), brand_new: true };
    skill.attributes = { ...skill.attributes, ...{ future_field: 'x' } };
    const { client } = await setup(() => ({ body: { data: skill } }));
    const got = await client.skills.get('sk_9');
    expect(got.attributes.display_name).toBe('Skill sk_9');
  });

  it('collects relationship ids across pages', async () => {
    const { client } = await setup((req) =>
      req.query.get('page[cursor]') === null
        ? {
            body: {
              data: [{ type: 'agent-skill', id: 's1' }],
              links: {
                next: 'http://elsewhere/api/agent-tools/t1/relationships/agent-skills?page%5Bcursor%5D=2',
              },
            },
          }
        : { body: { data: [{ type: 'agent-skill', id: 's2' }] } },
    );
    await expect(client.tools.listSkillIds('t1')).resolves.toEqual(['s1', 's2']);
  });
});

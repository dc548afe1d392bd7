import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS, GROUP_LIMITS } from '../../../src/sandbox/operations.js';
import { SANDBOX_KEYS, startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import {
  SPEC_URL,
  allOperations,
  matchOperation,
  validateResponse,
} from '../../helpers/openapi.js';
import { api, type ApiResponse, type CallOptions, type JsonBody } from './support.js';

interface Recorded {
  method: string;
  path: string;
  response: ApiResponse;
}

/**
 * Drives all 37 operations (and the main errors) and checks every response against the OpenAPI
 * file with the shared contract validator; also checks the sandbox's operation table against it.
 */
describe('sandbox conformance to the OpenAPI spec', () => {
  let sandbox: RunningSandbox;
  const recorded: Recorded[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, rateLimits: 'off', indexingDelayMs: 0 });
    await driveEverything(sandbox, recorded);
  });
  afterAll(() => sandbox.close());

  it('has one route per spec operation, with the spec scopes, rate limits and query parameters', () => {
    const spec = JSON.parse(readFileSync(new URL(SPEC_URL), 'utf8')) as JsonBody;
    const specOps = allOperations();
    expect(OPERATIONS.map((o) => o.id).sort()).toEqual(specOps.map((o) => o.operationId).sort());
    for (const op of OPERATIONS) {
      const template = op.path.replace(':id', '{id}');
      const specOp = spec.paths[template]?.[op.method.toLowerCase()];
      expect(specOp?.operationId, `${op.method} ${op.path}`).toBe(op.id);
      expect(specOp['x-klaviyo-scopes']).toEqual([op.scope]);
      const limits = GROUP_LIMITS[op.group];
      expect(specOp['x-klaviyo-ratelimit']).toEqual({
        burst: `${limits.burst}/s`,
        steady: `${limits.steady}/m`,
      });
      const params = (specOp.parameters as JsonBody[]).filter((p) => p.in === 'query');
      const expected = params.map((p) => p.name).sort();
      const ours = [
        ...Object.keys(op.query.fields ?? {}).map((t) => `fields[${t}]`),
        ...(op.query.filter ? ['filter'] : []),
        ...(op.query.sort ? ['sort'] : []),
        ...(op.query.paginated ? ['page[cursor]', 'page[size]'] : []),
      ].sort();
      expect(ours, op.id).toEqual(expected);
      for (const p of params.filter((x) => x.name.startsWith('fields['))) {
        expect(op.query.fields?.[p.name.slice(7, -1)], p.name).toEqual(p.schema.items.enum);
      }
    }
  });

  it('answered every operation successfully', () => {
    const succeeded = new Set(
      recorded
        .filter((r) => r.response.status < 300)
        .map((r) => matchOperation(r.method, r.path.split('?')[0] ?? '')?.operationId),
    );
    expect(
      allOperations()
        .filter((o) => !succeeded.has(o.operationId))
        .map((o) => o.operationId),
    ).toEqual([]);
  });

  it('sent only responses that follow the spec, errors included', () => {
    // Sparse fieldsets drop attributes the schemas mark required; those are checked below instead.
    const full = recorded.filter((r) => !r.path.includes('fields['));
    const problems = full.flatMap(({ method, path, response }) => {
      const headers = Object.fromEntries(response.headers.entries());
      const body = response.body === null ? undefined : response.body;
      const found = validateResponse({ method, url: path, headers, status: response.status, body });
      return found.map((p) => `${method} ${path} → ${response.status}: ${p.kind}: ${p.message}`);
    });
    expect(problems).toEqual([]);
    expect(new Set(recorded.map((r) => r.response.status))).toEqual(
      new Set([200, 201, 204, 400, 401, 403, 404, 409]),
    );
  });

  it('returns only the requested fields, keeping a oneOf discriminator', () => {
    const sparse = recorded.filter((r) => r.path.includes('fields['));
    expect(sparse.map((r) => r.response.body.data.attributes)).toEqual([
      { name: 'Conformance tool', details: { type: 'custom' } },
      { source: { source_type: 'file', title: 'Doc' }, status: 'indexed' },
    ]);
  });
});

async function driveEverything(sandbox: RunningSandbox, recorded: Recorded[]): Promise<void> {
  const write = api(sandbox);
  const read = api(sandbox, SANDBOX_KEYS.read);
  const call = async (method: string, path: string, options: CallOptions = {}) => {
    const response = await write.call(method, path, options);
    recorded.push({ method, path, response });
    return response.body as JsonBody;
  };
  const body = (data: object) => ({ body: { data } });

  const agent = await call('GET', '/api/customer-agents/any');
  await call(
    'PATCH',
    `/api/customer-agents/${agent.data.id}`,
    body({ type: 'customer-agent', id: agent.data.id, attributes: { name: 'Juno' } }),
  );

  const secret = await call(
    'POST',
    '/api/agent-secrets',
    body({ type: 'agent-secret', attributes: { name: 'Conformance', value: 'abcdef' } }),
  );
  const secretId = secret.data.id;
  await call('GET', '/api/agent-secrets');
  await call('GET', `/api/agent-secrets/${secretId}`);
  await call(
    'PATCH',
    `/api/agent-secrets/${secretId}`,
    body({ type: 'agent-secret', id: secretId, attributes: { value: 'rotated' } }),
  );

  const tool = await call(
    'POST',
    '/api/agent-tools',
    body({
      type: 'agent-tool',
      attributes: {
        name: 'Conformance tool',
        public_description: 'Checks things',
        details: {
          type: 'custom',
          request_template: {
            url_template: 'https://x.example/{{id}}',
            http_method: 'GET',
            headers: [{ name: 'k', value: '{{key}}' }],
          },
          variables: [{ name: 'key', type: 'string', source: 'secret', value: secretId }],
        },
      },
    }),
  );
  const toolId = tool.data.id;
  await call('GET', '/api/agent-tools?page[size]=1');
  await call('GET', `/api/agent-tools/${toolId}?fields[agent-tool]=name,details.type`);
  await call(
    'PATCH',
    `/api/agent-tools/${toolId}`,
    body({ type: 'agent-tool', id: toolId, attributes: { name: 'Renamed' } }),
  );
  await call('GET', `/api/agent-tools/${toolId}/relationships/agent-secrets`);
  await call('GET', `/api/agent-tools/${toolId}/agent-secrets`);
  await call('GET', `/api/agent-secrets/${secretId}/relationships/agent-tools`);
  await call('GET', `/api/agent-secrets/${secretId}/agent-tools`);

  const skill = await call(
    'POST',
    '/api/agent-skills',
    body({
      type: 'agent-skill',
      attributes: {
        display_name: 'Conformance',
        description: 'Checks',
        instructions: 'Check.',
        status: 'draft',
        handoff: null,
      },
      relationships: { 'agent-tools': { data: [{ type: 'agent-tool', id: toolId }] } },
    }),
  );
  const skillId = skill.data.id;
  await call('GET', '/api/agent-skills');
  await call('GET', `/api/agent-skills/${skillId}`);
  await call(
    'PATCH',
    `/api/agent-skills/${skillId}`,
    body({ type: 'agent-skill', id: skillId, attributes: { status: 'live' } }),
  );
  await call('GET', `/api/agent-tools/${toolId}/relationships/agent-skills`);
  await call('GET', `/api/agent-tools/${toolId}/agent-skills?page[size]=1`);

  const snippet = await call(
    'POST',
    '/api/agent-knowledge',
    body({
      type: 'agent-knowledge',
      attributes: { source: { source_type: 'snippet', title: 'Hours', content: 'Open daily.' } },
    }),
  );
  const page = await call(
    'POST',
    '/api/agent-knowledge',
    body({
      type: 'agent-knowledge',
      attributes: {
        source: { source_type: 'webpage', url: 'https://x.example/faq', scope: 'entire-site' },
      },
    }),
  );
  const form = new FormData();
  form.set('title', 'Doc');
  form.set('file', new Blob(['text'], { type: 'text/plain' }), 'doc.txt');
  const file = await call('POST', '/api/agent-knowledge-files', { rawBody: form });
  await call('GET', '/api/agent-knowledge?page[size]=2&sort=-id');
  await call('GET', `/api/agent-knowledge/${page.data.id}`);
  await call(
    'GET',
    `/api/agent-knowledge/${file.data.id}?fields[agent-knowledge]=source.title,status`,
  );
  await call(
    'PATCH',
    `/api/agent-knowledge/${snippet.data.id}`,
    body({ type: 'agent-knowledge', id: snippet.data.id, attributes: { content: 'Open 9 to 5.' } }),
  );

  const conversations = await call('GET', '/api/customer-agent-conversations?page[size]=3');
  const conversationId = conversations.data[0].id;
  await call('GET', `/api/customer-agent-conversations/${conversationId}`);
  await call(
    'GET',
    `/api/customer-agent-conversations/${conversationId}/customer-agent-messages?page[size]=2`,
  );
  await call(
    'GET',
    `/api/customer-agent-conversations/${conversationId}/relationships/customer-agent-messages`,
  );
  await call(
    'PATCH',
    `/api/customer-agent-conversations/${conversationId}`,
    body({
      type: 'customer-agent-conversation',
      id: conversationId,
      attributes: { status: 'closed' },
    }),
  );
  await call(
    'POST',
    '/api/customer-agent-values-reports',
    body({
      type: 'customer-agent-values-report',
      attributes: {
        statistics: ['volume', 'resolution-rate'],
        timeframe: { key: 'last_30_days' },
        groupings: ['channel'],
      },
    }),
  );
  await call(
    'POST',
    '/api/customer-agent-skill-values-reports',
    body({
      type: 'customer-agent-skill-values-report',
      attributes: {
        statistics: ['volume'],
        groupings: ['skill'],
        timeframe: { key: 'last_90_days' },
      },
    }),
  );
  for (const content of ['My stove caught fire!', 'Where is my order SP-123456?', '???']) {
    await call(
      'POST',
      '/api/customer-agent-responses',
      body({
        type: 'customer-agent-response',
        attributes: { mode: 'preview', channel: 'sms', messages: [{ role: 'user', content }] },
      }),
    );
  }

  // Errors: every one must still follow the ClientError schema.
  await call('GET', '/api/agent-skills', { key: 'pk_wrong' });
  const denied = await read.call('DELETE', `/api/agent-skills/${skillId}`);
  recorded.push({ method: 'DELETE', path: `/api/agent-skills/${skillId}`, response: denied });
  await call('GET', '/api/agent-skills', { revision: null });
  await call('GET', '/api/agent-skills/nope');
  await call(
    'POST',
    '/api/agent-knowledge',
    body({
      type: 'agent-knowledge',
      attributes: { source: { source_type: 'webpage', url: 'https://x.example/faq/' } },
    }),
  );
  await call('GET', '/api/customer-agent-conversations?page[size]=101');

  await call('DELETE', `/api/agent-skills/${skillId}`);
  await call('DELETE', `/api/agent-tools/${toolId}`);
  await call('DELETE', `/api/agent-secrets/${secretId}`);
  await call('DELETE', `/api/agent-knowledge/${snippet.data.id}`);
}

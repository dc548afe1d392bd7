import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { api, encode, firstError, type Api } from './support.js';

let clock = Date.parse('2026-11-20T12:00:00Z');
const tick = () => (clock += 1000);

describe('sandbox configuration resources', () => {
  let sandbox: RunningSandbox;
  let write: Api;

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      rateLimits: 'off',
      indexingDelayMs: 40,
      now: () => new Date(clock),
    });
    write = api(sandbox);
  });
  afterAll(() => sandbox.close());

  it('treats the customer agent as a singleton and replaces its arrays whole', async () => {
    const agent = (await write.get('/api/customer-agents/whatever')).body.data;
    expect(agent.id).not.toBe('whatever');
    const rules = [
      { title: 'Only rule', description: 'Hand off on "lawsuit".', status: 'enabled' },
    ];
    tick();
    const patched = await write.patch(`/api/customer-agents/${agent.id}`, {
      data: {
        type: 'customer-agent',
        id: agent.id,
        attributes: { escalation_rules: rules, tone_of_voice: { preset: 'professional' } },
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.data.attributes.escalation_rules).toEqual(rules);
    expect(patched.body.data.attributes.communication_styles).toEqual(
      agent.attributes.communication_styles,
    );
    expect(Date.parse(patched.body.data.attributes.tone_of_voice.updated_at)).toBeGreaterThan(
      Date.parse(agent.attributes.tone_of_voice.updated_at),
    );
    const mismatch = await write.patch('/api/customer-agents/anything', {
      data: { type: 'customer-agent', id: 'something-else', attributes: {} },
    });
    expect(mismatch.status).toBe(409);
    const custom = await write.patch(`/api/customer-agents/${agent.id}`, {
      data: {
        type: 'customer-agent',
        id: agent.id,
        attributes: { tone_of_voice: { preset: 'custom' } },
      },
    });
    expect(firstError(custom).source).toEqual({
      pointer: '/data/attributes/tone_of_voice/custom_instruction',
    });
  });

  it('creates skills (201), patches them sparsely, replaces tools whole and deletes them (204)', async () => {
    const tools = (await write.get('/api/agent-tools')).body.data;
    const custom = tools.find(
      (t: { attributes: { details: { type: string } } }) => t.attributes.details.type === 'custom',
    );
    const created = await write.post('/api/agent-skills', {
      data: {
        type: 'agent-skill',
        attributes: {
          display_name: 'Gift Wrap',
          description: 'Explains gift wrapping',
          instructions: 'Be kind.',
          status: 'draft',
        },
        relationships: { 'agent-tools': { data: [{ type: 'agent-tool', id: custom.id }] } },
      },
    });
    expect(created.status).toBe(201);
    const skill = created.body.data;
    expect(skill.attributes).toMatchObject({
      name: 'gift_wrap',
      source: 'custom',
      handoff: 'offer',
      status: 'draft',
    });
    expect(skill.relationships['agent-tools'].data).toEqual([
      { type: 'agent-tool', id: custom.id },
    ]);
    tick();
    const patched = await write.patch(`/api/agent-skills/${skill.id}`, {
      data: {
        type: 'agent-skill',
        id: skill.id,
        attributes: { status: 'live', description: null },
        relationships: { 'agent-tools': { data: [] } },
      },
    });
    expect(patched.body.data.attributes).toMatchObject({
      status: 'live',
      description: 'Explains gift wrapping',
      instructions: 'Be kind.',
    });
    expect(patched.body.data.relationships['agent-tools'].data).toEqual([]);
    expect(Date.parse(patched.body.data.attributes.updated_at)).toBeGreaterThan(
      Date.parse(skill.attributes.updated_at),
    );
    const bound = await write.get(`/api/agent-tools/${custom.id}/relationships/agent-skills`);
    expect(bound.body.data.map((s: { id: string }) => s.id)).not.toContain(skill.id);
    const unknownTool = await write.patch(`/api/agent-skills/${skill.id}`, {
      data: {
        type: 'agent-skill',
        id: skill.id,
        attributes: {},
        relationships: { 'agent-tools': { data: [{ type: 'agent-tool', id: 'nope' }] } },
      },
    });
    expect(firstError(unknownTool).source).toEqual({
      pointer: '/data/relationships/agent-tools/data/0/id',
    });
    expect((await write.delete(`/api/agent-skills/${skill.id}`)).status).toBe(204);
    expect((await write.get(`/api/agent-skills/${skill.id}`)).status).toBe(404);
  });

  it('indexes knowledge: pending at first, indexed after the delay', async () => {
    const created = await write.post('/api/agent-knowledge', {
      data: {
        type: 'agent-knowledge',
        attributes: {
          source: { source_type: 'snippet', title: 'Gift wrap', content: 'Gift wrap costs $5.' },
        },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.data.attributes).toMatchObject({ status: 'pending', indexed_at: null });
    const id = created.body.data.id;
    let status = 'pending';
    for (let i = 0; i < 100 && status !== 'indexed'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      status = (await write.get(`/api/agent-knowledge/${id}`)).body.data.attributes.status;
    }
    expect(status).toBe('indexed');
    const list = await write.get('/api/agent-knowledge?page[size]=1');
    expect(list.body.data[0].id).toBe(id);
    tick();
    const edited = await write.patch(`/api/agent-knowledge/${id}`, {
      data: { type: 'agent-knowledge', id, attributes: { content: 'Gift wrap costs $6.' } },
    });
    expect(edited.body.data.attributes.status).toBe('pending');
    expect((await write.delete(`/api/agent-knowledge/${id}`)).status).toBe(204);
  });

  it('answers 409 for a webpage whose normalized URL already exists', async () => {
    const page = (url: string) =>
      write.post('/api/agent-knowledge', {
        data: { type: 'agent-knowledge', attributes: { source: { source_type: 'webpage', url } } },
      });
    const first = await page('https://Shop.Example.com/faq/');
    expect(first.status).toBe(201);
    expect(first.body.data.attributes.source.url).toBe('https://shop.example.com/faq');
    const again = await page('https://shop.example.com:443/faq#top');
    expect(again.status).toBe(409);
    expect(firstError(again).source).toEqual({ pointer: '/data/attributes/source/url' });
    expect((await page('not a url')).status).toBe(400);
  });

  it('uploads a file as knowledge (multipart)', async () => {
    const form = new FormData();
    form.set('title', 'Size chart');
    form.set('file', new Blob(['Boot size 10 is EU 44.'], { type: 'text/plain' }), 'sizes.txt');
    const created = await write.call('POST', '/api/agent-knowledge-files', { rawBody: form });
    expect(created.status).toBe(201);
    expect(created.body.data.attributes.source).toEqual({
      source_type: 'file',
      title: 'Size chart',
    });
    const noTitle = new FormData();
    noTitle.set('file', new Blob(['x'], { type: 'text/plain' }), 'x.txt');
    expect(
      (await write.call('POST', '/api/agent-knowledge-files', { rawBody: noTitle })).status,
    ).toBe(400);
  });

  it('keeps secrets write-only: a mask, unique names, relationships to tools', async () => {
    const created = await write.post('/api/agent-secrets', {
      data: {
        type: 'agent-secret',
        attributes: { name: '  Shipping API  ', value: 'sk_live_abcXYZ' },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.data.attributes).toMatchObject({
      name: 'Shipping API',
      mask: '**********XYZ',
    });
    expect(JSON.stringify(created.body)).not.toContain('sk_live_abcXYZ');
    const duplicate = await write.post('/api/agent-secrets', {
      data: { type: 'agent-secret', attributes: { name: 'Shipping API', value: 'other' } },
    });
    expect(duplicate.status).toBe(409);
    const secretId = created.body.data.id;
    const tool = await write.post('/api/agent-tools', {
      data: {
        type: 'agent-tool',
        attributes: {
          name: 'Shipping quote',
          public_description: 'Quotes shipping',
          details: {
            type: 'custom',
            request_template: { url_template: 'https://ship.example/{{zip}}', http_method: 'GET' },
            variables: [
              { name: 'zip', type: 'string', required: true },
              { name: 'key', type: 'string', source: 'secret', value: secretId },
            ],
          },
        },
      },
    });
    expect(tool.status).toBe(201);
    expect(tool.body.data.attributes.details).toMatchObject({
      type: 'custom',
      protocol: 'https',
      timeout_seconds: 5,
      max_retries: 1,
    });
    const toolId = tool.body.data.id;
    const linked = await write.get(`/api/agent-secrets/${secretId}/relationships/agent-tools`);
    expect(linked.body.data.map((t: { id: string }) => t.id)).toEqual([toolId]);
    const secrets = await write.get(`/api/agent-tools/${toolId}/agent-secrets`);
    expect(secrets.body.data.map((s: { id: string }) => s.id)).toEqual([secretId]);
    const named = await write.get(
      `/api/agent-tools?filter=${encode('contains(name,\'quote\'),equals(tool_type,"custom")')}`,
    );
    expect(named.body.data.map((t: { id: string }) => t.id)).toEqual([toolId]);
    tick();
    const patched = await write.patch(`/api/agent-tools/${toolId}`, {
      data: {
        type: 'agent-tool',
        id: toolId,
        attributes: {
          details: {
            type: 'custom',
            request_template: { http_method: 'POST' },
            timeout_seconds: 11,
          },
        },
      },
    });
    expect(firstError(patched).source).toEqual({
      pointer: '/data/attributes/details/timeout_seconds',
    });
    const ok = await write.patch(`/api/agent-tools/${toolId}`, {
      data: {
        type: 'agent-tool',
        id: toolId,
        attributes: { details: { type: 'custom', request_template: { http_method: 'POST' } } },
      },
    });
    expect(ok.body.data.attributes.details.request_template).toMatchObject({
      http_method: 'POST',
      url_template: 'https://ship.example/{{zip}}',
    });
    expect((await write.delete(`/api/agent-tools/${toolId}`)).status).toBe(204);
    expect((await write.delete(`/api/agent-secrets/${secretId}`)).status).toBe(204);
  });

  it('refuses to change internal tools', async () => {
    const internal = (
      await write.get(`/api/agent-tools?filter=${encode('equals(tool_type,"internal")')}`)
    ).body.data[0];
    expect(internal.attributes.details.type).toBe('internal');
    expect((await write.delete(`/api/agent-tools/${internal.id}`)).status).toBe(409);
  });
});

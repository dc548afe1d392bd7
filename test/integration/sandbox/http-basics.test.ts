import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_KEYS, startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { api, encode, firstError, type Api } from './support.js';

describe('sandbox HTTP: auth, revision, validation and errors', () => {
  let sandbox: RunningSandbox;
  let write: Api;
  let read: Api;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, rateLimits: 'off', indexingDelayMs: 0 });
    write = api(sandbox);
    read = api(sandbox, SANDBOX_KEYS.read);
  });
  afterAll(() => sandbox.close());

  it('answers 401 without a key or with an unknown one, never echoing the key', async () => {
    const missing = await write.get('/api/agent-skills', { key: null });
    expect(missing.status).toBe(401);
    expect(firstError(missing)).toMatchObject({ status: 401, code: 'not_authenticated' });
    const unknown = await write.get('/api/agent-skills', { key: 'pk_live_secret123' });
    expect(unknown.status).toBe(401);
    expect(JSON.stringify(unknown.body)).not.toContain('pk_live_secret123');
    const bearer = await write.get('/api/agent-skills', {
      key: null,
      headers: { authorization: 'Bearer pk_sandbox_write' },
    });
    expect(bearer.status).toBe(401);
  });

  it('answers 403 when the read key writes or runs a turn, and lets it read reports', async () => {
    const body = { data: { type: 'agent-secret', attributes: { name: 'x', value: 'y' } } };
    expect((await read.post('/api/agent-secrets', body)).status).toBe(403);
    const turn = {
      data: {
        type: 'customer-agent-response',
        attributes: { mode: 'preview', messages: [{ role: 'user', content: 'hi' }] },
      },
    };
    const denied = await read.post('/api/customer-agent-responses', turn);
    expect(denied.status).toBe(403);
    expect(firstError(denied)).toMatchObject({ code: 'permission_denied' });
    const report = {
      data: {
        type: 'customer-agent-values-report',
        attributes: { statistics: ['volume'], timeframe: { key: 'today' } },
      },
    };
    expect((await read.post('/api/customer-agent-values-reports', report)).status).toBe(201);
  });

  it('requires a known revision header', async () => {
    const missing = await read.get('/api/agent-skills', { revision: null });
    expect(missing.status).toBe(400);
    expect(firstError(missing).source).toEqual({ parameter: 'revision' });
    const old = await read.get('/api/agent-skills', { revision: '2024-10-15' });
    expect(old.status).toBe(400);
    expect(firstError(old).detail).toContain('2026-07-15.pre');
  });

  it('validates bodies and points at the bad field', async () => {
    const bad = await write.post('/api/agent-skills', {
      data: {
        type: 'agent-skill',
        attributes: { display_name: 'X', description: 'Y', instructions: 'Z', status: 'paused' },
      },
    });
    expect(bad.status).toBe(400);
    expect(firstError(bad)).toMatchObject({
      code: 'invalid',
      source: { pointer: '/data/attributes/status' },
    });
    const extra = await write.post('/api/agent-secrets', {
      data: { type: 'agent-secret', attributes: { name: 'x', value: 'y', colour: 'red' } },
    });
    expect(firstError(extra).source).toEqual({ pointer: '/data/attributes/colour' });
    const noData = await write.post('/api/agent-secrets', { name: 'x' });
    expect(firstError(noData).source).toEqual({ pointer: '/data' });
    const notJson = await write.call('POST', '/api/agent-secrets', {
      rawBody: '{"data":',
      headers: { 'content-type': 'application/vnd.api+json' },
    });
    expect(notJson.status).toBe(400);
    const wrongType = await write.call('POST', '/api/agent-secrets', {
      rawBody: 'name=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(wrongType.status).toBe(415);
  });

  it('rejects a resource type that does not belong to the endpoint with 409', async () => {
    const response = await write.post('/api/agent-secrets', {
      data: { type: 'agent-skill', attributes: {} },
    });
    expect(response.status).toBe(409);
    expect(firstError(response).source).toEqual({ pointer: '/data/type' });
  });

  it('validates filters, sorts, sparse fields and page sizes, naming the parameter', async () => {
    const cases: [string, string][] = [
      [`/api/customer-agent-conversations?filter=${encode('equals(channel,"sms")')}`, 'filter'],
      [
        `/api/customer-agent-conversations?filter=${encode('greater-or-equal(created_at,yesterday)')}`,
        'filter',
      ],
      [`/api/customer-agent-conversations?filter=${encode('equals(status,open)')}`, 'filter'],
      ['/api/customer-agent-conversations?page[size]=101', 'page[size]'],
      ['/api/customer-agent-conversations?page[size]=0', 'page[size]'],
      ['/api/customer-agent-conversations?page[cursor]=bogus', 'page[cursor]'],
      ['/api/agent-knowledge?sort=title', 'sort'],
      ['/api/agent-skills?fields[agent-skill]=name,colour', 'fields[agent-skill]'],
      ['/api/agent-skills?filter=equals(name,"x")', 'filter'],
      ['/api/agent-skills?include=agent-tools', 'include'],
    ];
    for (const [path, parameter] of cases) {
      const response = await read.get(path);
      expect({ path, status: response.status, source: firstError(response)?.source }).toEqual({
        path,
        status: 400,
        source: { parameter },
      });
    }
  });

  it('applies sparse fieldsets, including nested fields', async () => {
    const skills = await read.get('/api/agent-skills?fields[agent-skill]=name,status');
    expect(Object.keys(skills.body.data[0].attributes).sort()).toEqual(['name', 'status']);
    const agent = await read.get(
      '/api/customer-agents/x?fields[customer-agent]=tone_of_voice.preset',
    );
    expect(agent.body.data.attributes).toEqual({ tone_of_voice: { preset: 'friendly' } });
  });

  it('answers 404 for unknown ids and paths, 405 for a wrong method', async () => {
    const missing = await read.get('/api/agent-skills/custom:agent_999999');
    expect(missing.status).toBe(404);
    expect(firstError(missing)).toMatchObject({ status: 404, code: 'not_found' });
    expect(
      (await read.get('/api/customer-agent-conversations/nope/customer-agent-messages')).status,
    ).toBe(404);
    expect((await read.get('/api/no-such-thing')).status).toBe(404);
    const wrongMethod = await write.delete('/api/agent-skills');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, POST');
  });

  it('answers with JSON:API content and absolute links based on its own URL', async () => {
    const response = await read.get('/api/agent-skills');
    expect(response.headers.get('content-type')).toMatch(/^application\/vnd\.api\+json/);
    expect(response.body.links.self).toBe(`${sandbox.url}/api/agent-skills`);
    const skill = response.body.data[0];
    expect(skill.links.self).toBe(`${sandbox.url}/api/agent-skills/${skill.id}`);
    expect(skill.relationships['agent-tools'].links).toEqual({
      self: `${sandbox.url}/api/agent-skills/${skill.id}/relationships/agent-tools`,
      related: `${sandbox.url}/api/agent-skills/${skill.id}/agent-tools`,
    });
    const error = await read.get('/api/agent-skills/nope');
    expect(error.headers.get('content-type')).toMatch(/^application\/vnd\.api\+json/);
    expect(error.headers.get('content-type')).toBe('application/vnd.api+json');
    expect(Object.keys(firstError(error)).sort()).toEqual([
      'code',
      'detail',
      'id',
      'source',
      'status',
      'title',
    ]);
    expect(firstError(error).source).toEqual({ parameter: 'id' });
  });

  it('accepts application/json bodies as well', async () => {
    const response = await write.post(
      '/api/agent-secrets',
      { data: { type: 'agent-secret', attributes: { name: 'JSON key', value: 'abc123' } } },
      { headers: { 'content-type': 'application/json' } },
    );
    expect(response.status).toBe(201);
  });
});

import { describe, expect, it } from 'vitest';
import { validateRequest, validateResponse } from '../../helpers/openapi.js';
import type { ContractProblem } from '../../helpers/openapi.js';
import {
  BASE,
  RESPONSE_HEADERS,
  WRITE_HEADERS,
  clientError,
  createSkillRequest,
  knowledgeResource,
  skillResource,
} from './examples.js';

const kinds = (problems: ContractProblem[]) => problems.map((p) => p.kind);
const createSkill = createSkillRequest;

describe('validateResponse', () => {
  const respond = (
    method: string,
    url: string,
    status: number,
    body: unknown,
    headers = RESPONSE_HEADERS,
  ) =>
    validateResponse({
      method,
      url,
      status,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('accepts declared statuses with conforming bodies, 204s, and errors via 4XX/5XX', () => {
    expect(
      respond('GET', '/api/agent-skills/s1', 200, {
        data: skillResource(),
        links: { self: `${BASE}/api/agent-skills/s1` },
      }),
    ).toEqual([]);
    expect(
      respond('GET', '/api/agent-skills', 200, {
        data: [skillResource()],
        links: { self: `${BASE}/api/agent-skills` },
      }),
    ).toEqual([]);
    expect(respond('POST', '/api/agent-knowledge', 201, { data: knowledgeResource() })).toEqual([]);
    expect(
      respond('DELETE', '/api/agent-knowledge/kn_1', 204, undefined, {} as typeof RESPONSE_HEADERS),
    ).toEqual([]);
    expect(respond('GET', '/api/agent-skills/nope', 404, clientError())).toEqual([]);
    expect(respond('POST', '/api/agent-skills', 503, clientError())).toEqual([]);
    const profile = { 'content-type': 'application/vnd.api+json; profile="https://example.com/p"' };
    expect(respond('GET', '/api/agent-skills/nope', 404, clientError(), profile)).toEqual([]);
  });

  it('flags a resource without links.self', () => {
    const resource = skillResource();
    delete resource['links'];
    expect(respond('GET', '/api/agent-skills/s1', 200, { data: resource })).toEqual([
      { kind: 'body', message: "response body (200): /data must have required property 'links'" },
    ]);
  });

  it('flags undeclared statuses: 200 for a create, a redirect', () => {
    expect(
      kinds(respond('POST', '/api/agent-knowledge', 200, { data: knowledgeResource() })),
    ).toEqual(['status']);
    expect(kinds(respond('GET', '/api/agent-skills', 302, undefined))).toEqual(['status']);
  });

  it('flags JSON:API media type parameters other than ext and profile, both ways', () => {
    const charset = 'application/vnd.api+json; charset=utf-8';
    const response = respond('GET', '/api/agent-skills/nope', 404, clientError(), {
      'content-type': charset,
    });
    expect(response).toEqual([
      {
        kind: 'content-type',
        message: expect.stringMatching(/^response Content-Type .*ext and profile/),
      },
    ]);
    const request = { ...createSkill(), headers: { ...WRITE_HEADERS, 'content-type': charset } };
    expect(kinds(validateRequest(request))).toEqual(['content-type']);
  });

  it('flags a 204 with a body, a 2xx without one, a wrong content type, invalid JSON', () => {
    expect(kinds(respond('DELETE', '/api/agent-skills/s1', 204, { ok: true }))).toEqual(['body']);
    expect(kinds(respond('GET', '/api/agent-skills/s1', 200, undefined))).toEqual(['body']);
    expect(
      kinds(
        respond('GET', '/api/agent-skills/nope', 404, clientError(), {
          'content-type': 'application/json',
        }),
      ),
    ).toEqual(['content-type']);
    expect(
      kinds(
        validateResponse({
          method: 'GET',
          url: '/api/agent-skills/s1',
          status: 200,
          headers: RESPONSE_HEADERS,
          body: '<html>',
        }),
      ),
    ).toEqual(['body']);
  });

  it('flags error bodies missing required fields, bad enums, bad dates and non-URI links', () => {
    const error = { errors: [{ id: 'e1', code: 'x', title: 'X' }] };
    expect(respond('GET', '/api/agent-skills/s', 400, error)).toEqual([
      {
        kind: 'body',
        message: "response body (4XX): /errors/0 must have required property 'detail'",
      },
    ]);
    const bad = skillResource();
    (bad['attributes'] as Record<string, unknown>)['status'] = 'paused';
    (bad['attributes'] as Record<string, unknown>)['created_at'] = 'July 1st';
    bad['links'] = { self: '/api/agent-skills/s1' };
    const messages = respond('GET', '/api/agent-skills/s1', 200, { data: bad }).map(
      (p) => p.message,
    );
    expect(messages).toEqual([
      expect.stringMatching(/\/data\/attributes\/status/),
      expect.stringMatching(/\/data\/attributes\/created_at must match format "date-time"/),
      expect.stringMatching(/\/data\/links\/self must match format "uri"/),
    ]);
  });
});

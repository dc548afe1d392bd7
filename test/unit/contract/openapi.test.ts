import { describe, expect, it } from 'vitest';
import { allOperations, matchOperation, validateRequest } from '../../helpers/openapi.js';
import type { ContractProblem, RequestRecord } from '../../helpers/openapi.js';
import { readRawSpec } from '../../contract/support/spec-loader.js';
import {
  BASE,
  READ_HEADERS,
  WRITE_HEADERS,
  createSkillRequest,
  multipartUpload,
  skillCreateBody,
} from './examples.js';

const kinds = (problems: ContractProblem[]) => problems.map((p) => p.kind);
const get = (url: string, headers: Record<string, string> = READ_HEADERS): RequestRecord => ({
  method: 'GET',
  url,
  headers,
});
const createSkill = createSkillRequest;

describe('allOperations', () => {
  it('lists every operation of the spec file, each once', () => {
    const paths = readRawSpec()['paths'] as Record<
      string,
      Record<string, { operationId?: string }>
    >;
    const inFile = Object.values(paths).flatMap((item) =>
      Object.values(item).flatMap((op) => (op.operationId ? [op.operationId] : [])),
    );
    const ids = allOperations().map((o) => o.operationId);
    expect(ids.length).toBe(37);
    expect(new Set(ids)).toEqual(new Set(inFile));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('matchOperation', () => {
  it('finds the operation and decodes path parameters', () => {
    expect(
      matchOperation('get', '/api/agent-tools/custom%3Atool_1/relationships/agent-skills'),
    ).toEqual({
      operationId: 'get_skill_ids_for_agent_tool_beta',
      pathTemplate: '/api/agent-tools/{id}/relationships/agent-skills',
      pathParams: { id: 'custom:tool_1' },
    });
    expect(matchOperation('POST', '/api/agent-knowledge-files')?.operationId).toBe(
      'create_agent_knowledge_file_beta',
    );
  });

  it('returns undefined for unknown paths and methods', () => {
    expect(matchOperation('GET', '/api/agent-skills/x/y')).toBeUndefined();
    expect(matchOperation('PUT', '/api/agent-skills/x')).toBeUndefined();
    expect(matchOperation('DELETE', '/api/customer-agents/a')).toBeUndefined();
  });
});

describe('validateRequest accepts requests that follow the spec', () => {
  it.each([
    [
      'a list with fields, page size and a status filter',
      '/api/customer-agent-conversations?fields[customer-agent-conversation]=status,created_at&page[size]=100&filter=equals(status,"open")',
    ],
    [
      'a date filter and any()',
      `/api/customer-agent-conversations?filter=${encodeURIComponent('greater-or-equal(created_at,2026-07-01T00:00:00Z),any(status,["open","closed"])')}`,
    ],
    [
      'a cursor and an absolute URL',
      `${BASE}/api/customer-agent-conversations/c1/customer-agent-messages?page%5Bcursor%5D=abc&page%5Bsize%5D=1`,
    ],
    [
      'a tools filter with and()',
      '/api/agent-tools?filter=and(contains(name,"order"),equals(tool_type,"custom"))',
    ],
  ])('GET with %s', (_label, url) => {
    expect(validateRequest(get(url))).toEqual([]);
  });

  it('JSON:API writes, including nullable fields sent as null', () => {
    expect(validateRequest(createSkill())).toEqual([]);
    const patch = {
      data: { type: 'agent-skill', id: 'custom:s1', attributes: { status: 'live' } },
    };
    expect(
      validateRequest({
        method: 'PATCH',
        url: '/api/agent-skills/custom%3As1',
        headers: WRITE_HEADERS,
        body: patch,
      }),
    ).toEqual([]);
    const turn = {
      data: {
        type: 'customer-agent-response',
        attributes: {
          mode: 'preview',
          messages: [{ role: 'user', content: 'Hi' }],
          customer: null,
        },
      },
    };
    expect(
      validateRequest({
        method: 'POST',
        url: '/api/customer-agent-responses',
        headers: WRITE_HEADERS,
        body: turn,
      }),
    ).toEqual([]);
  });

  it('a multipart upload and a DELETE without a body', () => {
    const { contentType, body } = multipartUpload({ title: 'FAQ', file: 'file' });
    const headers = { ...WRITE_HEADERS, 'content-type': contentType };
    expect(
      validateRequest({ method: 'POST', url: '/api/agent-knowledge-files', headers, body }),
    ).toEqual([]);
    expect(
      validateRequest({
        method: 'DELETE',
        url: '/api/agent-skills/s1',
        headers: WRITE_HEADERS,
        body: Buffer.alloc(0),
      }),
    ).toEqual([]);
  });
});

describe('validateRequest flags requests that break the spec', () => {
  it('an unknown operation', () => {
    expect(kinds(validateRequest(get('/api/agent-skillz')))).toEqual(['operation']);
  });

  it('a missing or wrong revision header, a missing or malformed API key', () => {
    const { revision: _r, ...noRevision } = READ_HEADERS;
    expect(validateRequest(get('/api/agent-skills', noRevision))).toEqual([
      { kind: 'header', message: 'header revision is missing' },
    ]);
    expect(
      kinds(validateRequest(get('/api/agent-skills', { ...READ_HEADERS, revision: '2024-10-15' }))),
    ).toEqual(['header']);
    const { authorization: _a, ...noAuth } = READ_HEADERS;
    expect(kinds(validateRequest(get('/api/agent-skills', noAuth)))).toEqual(['header']);
    expect(
      kinds(
        validateRequest(get('/api/agent-skills', { ...READ_HEADERS, authorization: 'Bearer pk' })),
      ),
    ).toEqual(['header']);
  });

  it.each([
    ['page[size]=101', 'page[size]=101', /page\[size\].*<= 100/],
    ['page[size]=0', 'page[size]=0', /page\[size\].*>= 1/],
    ['a non-integer page size', 'page[size]=ten', /page\[size\].*integer/],
    ['an unknown sparse field', 'fields[customer-agent-conversation]=status,body', /allowed/],
    ['an undeclared parameter', 'sort=-created_at', /sort is not declared/],
    ['a filter on an unknown field', 'filter=equals(channel,"sms")', /channel cannot be filtered/],
    [
      'an operator the field does not allow',
      'filter=less-than(created_at,2026-01-01T00:00:00Z)',
      /operator less-than/,
    ],
    ['a status outside the enum', 'filter=equals(status,"escalated")', /allowed/],
    ['an unquoted string', 'filter=equals(status,open)', /must be quoted/],
    ['a quoted date', 'filter=greater-or-equal(created_at,"2026-01-01T00:00:00Z")', /unquoted/],
    ['an invalid date', 'filter=greater-or-equal(created_at,yesterday)', /date-time/],
    ['broken syntax', 'filter=equals(status,"open"', /filter syntax/],
  ])('%s', (_label, query, message) => {
    const problems = validateRequest(get(`/api/customer-agent-conversations?${query}`));
    expect(kinds(problems)).toEqual(['query']);
    expect(problems[0]?.message).toMatch(message);
  });

  it('a body missing data.type, or with a value outside an enum', () => {
    const noType = skillCreateBody();
    delete (noType['data'] as Record<string, unknown>)['type'];
    expect(validateRequest(createSkill(noType))).toEqual([
      { kind: 'body', message: "request body: /data must have required property 'type'" },
    ]);
    const badStatus = skillCreateBody();
    ((badStatus['data'] as Record<string, unknown>)['attributes'] as Record<string, unknown>)[
      'status'
    ] = 'disabled';
    const problems = validateRequest(createSkill(badStatus));
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/\/data\/attributes\/status .*draft/),
    ]);
  });

  it('null where the spec does not allow it', () => {
    const body = skillCreateBody();
    ((body['data'] as Record<string, unknown>)['attributes'] as Record<string, unknown>)[
      'instructions'
    ] = null;
    expect(kinds(validateRequest(createSkill(body)))).toEqual(['body']);
  });

  it('a wrong or missing content type, a missing body, a body where none belongs, invalid JSON', () => {
    const asJson = {
      ...createSkill(),
      headers: { ...WRITE_HEADERS, 'content-type': 'application/json' },
    };
    expect(kinds(validateRequest(asJson))).toEqual(['content-type']);
    expect(kinds(validateRequest({ ...createSkill(), body: undefined }))).toEqual(['body']);
    expect(kinds(validateRequest({ ...get('/api/agent-skills'), body: '{}' }))).toEqual(['body']);
    expect(kinds(validateRequest({ ...createSkill(), body: '{"data":' }))).toEqual(['body']);
  });

  it('a PATCH whose data.id differs from the path id', () => {
    const body = { data: { type: 'agent-skill', id: 'custom:other', attributes: {} } };
    const problems = validateRequest({
      method: 'PATCH',
      url: '/api/agent-skills/custom:s1',
      headers: WRITE_HEADERS,
      body,
    });
    expect(problems).toEqual([
      { kind: 'body', message: expect.stringMatching(/differs from the path id/) },
    ]);
  });

  it('an upload without the file part, with the file as a plain field, or without a boundary', () => {
    const send = (contentType: string, body: Buffer) =>
      validateRequest({
        method: 'POST',
        url: '/api/agent-knowledge-files',
        headers: { ...WRITE_HEADERS, 'content-type': contentType },
        body,
      });
    const noFile = multipartUpload({ title: 'FAQ' });
    expect(send(noFile.contentType, noFile.body)).toEqual([
      { kind: 'body', message: "multipart body: / must have required property 'file'" },
    ]);
    const asField = multipartUpload({ title: 'FAQ', file: 'field' });
    expect(kinds(send(asField.contentType, asField.body))).toEqual(['body']);
    expect(kinds(send('multipart/form-data', asField.body))).toEqual(['content-type']);
  });
});

import { describe, expect, it } from 'vitest';
import { KlaviyoApiError } from '../../../src/klaviyo/index.js';
import type { ApiErrorContext } from '../../../src/klaviyo/errors.js';

const base: ApiErrorContext = {
  operation: 'update_agent_skill_beta',
  status: 500,
  errors: [],
  keyFingerprint: 'pk_1a2b3c4d',
  attempts: 1,
};
const make = (over: Partial<ApiErrorContext>) => new KlaviyoApiError({ ...base, ...over });

describe('KlaviyoApiError messages', () => {
  it('401 says the key is wrong or revoked and names it by fingerprint', () => {
    const error = make({ status: 401 });
    expect(error.message).toContain('pk_1a2b3c4d');
    expect(error.message).toContain('wrong or revoked');
    expect(error.retryable).toBe(false);
  });

  it('403 names the missing scope of the operation', () => {
    expect(make({ status: 403 }).message).toContain('lacks the `agents:write` scope');
    expect(make({ status: 403, operation: 'get_agent_skills_beta' }).message).toContain(
      'lacks the `agents:read` scope',
    );
  });

  it('400 lists each field from source.pointer with its detail', () => {
    const error = make({
      status: 400,
      errors: [
        { detail: 'is required', source: { pointer: '/data/attributes/instructions' } },
        { detail: 'unknown value', source: { parameter: 'filter' } },
      ],
    });
    expect(error.message).toContain('/data/attributes/instructions: is required');
    expect(error.message).toContain('filter: unknown value');
  });

  it('404 names the resource', () => {
    expect(make({ status: 404, resource: 'agent-skill "sk_9"' }).message).toContain(
      'agent-skill "sk_9" was not found',
    );
  });

  it('409 gives the conflict detail', () => {
    const error = make({
      status: 409,
      operation: 'create_agent_knowledge_beta',
      errors: [{ detail: 'a source with this URL already exists' }],
    });
    expect(error.message).toContain('conflict (409): a source with this URL already exists');
    expect(error.retryable).toBe(false);
  });

  it('429 is retryable, carries Retry-After and its own code', () => {
    const error = make({ status: 429, attempts: 5, retryAfterMs: 30_000 });
    expect(error.code).toBe('klaviyo_rate_limited');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(30_000);
    expect(error.message).toContain('rate limited by Klaviyo (429) after 5 attempts');
    expect(error.message).toContain('Retry after 30 s');
  });

  it('5xx is retryable and keeps the request id', () => {
    const error = make({ status: 503, attempts: 3, requestId: 'req-1' });
    expect(error.code).toBe('klaviyo_api_error');
    expect(error.retryable).toBe(true);
    expect(error.requestId).toBe('req-1');
    expect(error.message).toContain('server error 503 after 3 attempts');
  });
});

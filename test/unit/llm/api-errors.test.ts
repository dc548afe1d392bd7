import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { toLlmApiError } from '../../../src/llm/api-errors.js';
import { keyFingerprint, LlmApiError } from '../../../src/llm/errors.js';

const ctx = {
  model: 'claude-haiku-4-5',
  stage: 'diagnose',
  keyFingerprint: keyFingerprint('sk-secret'),
  attempts: 3,
};

function apiError(status: number, type: string, message = 'boom') {
  return APIError.generate(
    status,
    { type: 'error', error: { type, message } },
    undefined,
    new Headers({ 'request-id': 'req_1' }),
  );
}

describe('toLlmApiError', () => {
  it.each([
    [429, 'rate_limit_error', true, /rate limited/],
    [529, 'overloaded_error', true, /overloaded/],
    [500, 'api_error', true, /500 after 3 attempts/],
    [401, 'authentication_error', false, /ANTHROPIC_API_KEY is wrong/],
    [404, 'not_found_error', false, /model "claude-haiku-4-5".*diagnose stage/],
    [400, 'invalid_request_error', false, /refused the request \(400: boom\)/],
  ])(
    'maps %i to retryable=%s with a message that says what to do',
    (status, type, retryable, message) => {
      const error = toLlmApiError(apiError(status, type), ctx);
      expect(error).toBeInstanceOf(LlmApiError);
      expect((error as LlmApiError).retryable).toBe(retryable);
      expect((error as LlmApiError).code).toBe('llm_api_error');
      expect((error as LlmApiError).status).toBe(status);
      expect((error as LlmApiError).message).toMatch(message);
      expect((error as LlmApiError).message).not.toContain('sk-secret');
    },
  );

  it('treats connection failures as retryable and passes aborts through', () => {
    const conn = toLlmApiError(new APIConnectionError({ message: 'ECONNREFUSED' }), ctx);
    expect((conn as LlmApiError).retryable).toBe(true);
    const abort = new APIUserAbortError();
    expect(toLlmApiError(abort, ctx)).toBe(abort);
  });

  it('fingerprints keys without revealing them', () => {
    expect(keyFingerprint('sk-secret')).toMatch(/^sha256:[0-9a-f]{8}$/);
    expect(keyFingerprint('sk-secret')).not.toBe(keyFingerprint('sk-secret2'));
  });
});

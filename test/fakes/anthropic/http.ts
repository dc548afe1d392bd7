import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHeaders } from './parse.js';

/** HTTP plumbing of the fake Anthropic server: errors, headers, bodies. */

export type FakeErrorStatus = 429 | 529 | 500 | 400 | 401;

export const ERROR_TYPES: Record<FakeErrorStatus, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export class HttpFailure {
  constructor(
    readonly status: FakeErrorStatus | 404,
    readonly message: string,
    readonly retryAfter?: number,
  ) {}
}

export function checkHeaders(
  req: IncomingMessage,
  expectedKey: string | undefined,
): RequestHeaders {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers['authorization'] ?? '')?.[1];
  const header = req.headers['x-api-key'];
  const apiKey = bearer ?? (typeof header === 'string' ? header : '');
  if (!apiKey || (expectedKey !== undefined && apiKey !== expectedKey)) {
    throw new HttpFailure(401, 'invalid x-api-key');
  }
  const version = req.headers['anthropic-version'];
  if (typeof version !== 'string' || version === '') {
    throw new HttpFailure(400, 'anthropic-version: header is required');
  }
  const retryCount = Number(req.headers['x-stainless-retry-count'] ?? 0);
  return {
    apiKey,
    anthropicVersion: version,
    retryCount: Number.isFinite(retryCount) ? retryCount : 0,
  };
}

export function batchResult(result: unknown): Record<string, unknown> {
  if (result instanceof HttpFailure) {
    const error = {
      type: ERROR_TYPES[result.status as FakeErrorStatus] ?? 'api_error',
      message: result.message,
    };
    return { type: 'errored', error: { type: 'error', error, request_id: null } };
  }
  const message = result && typeof result === 'object' && 'raw' in result ? result.raw : result;
  return { type: 'succeeded', message };
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpFailure(400, 'body is not valid JSON');
  }
}

export function send(res: ServerResponse, result: unknown, requestId: string): void {
  if (result instanceof HttpFailure) {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'request-id': requestId,
    };
    if (result.retryAfter !== undefined) {
      headers['retry-after'] = String(Math.ceil(result.retryAfter));
      headers['retry-after-ms'] = String(Math.round(result.retryAfter * 1000));
    }
    const type = result.status === 404 ? 'not_found_error' : ERROR_TYPES[result.status];
    res.writeHead(result.status, headers);
    res.end(
      JSON.stringify({
        type: 'error',
        error: { type, message: result.message },
        request_id: requestId,
      }),
    );
    return;
  }
  if (result && typeof result === 'object' && 'jsonl' in result) {
    res.writeHead(200, { 'content-type': 'application/binary', 'request-id': requestId });
    res.end(String(result.jsonl));
    return;
  }
  const body = result && typeof result === 'object' && 'raw' in result ? result.raw : result;
  res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId });
  res.end(JSON.stringify(body));
}

import { REVISION, SANDBOX_KEYS, type RunningSandbox } from '../../../src/sandbox/index.js';

/** A tiny fetch wrapper for the sandbox tests: JSON:API headers and parsed bodies. */

export interface ApiResponse {
  status: number;
  headers: Headers;
  // The tests read bodies loosely; the conformance test checks them against the spec.
  body: JsonBody;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonBody = any;

export interface CallOptions {
  key?: string | null;
  revision?: string | null;
  headers?: Record<string, string>;
  body?: unknown;
  rawBody?: string | FormData;
}

export function api(sandbox: RunningSandbox, defaultKey: string = SANDBOX_KEYS.write) {
  async function call(
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<ApiResponse> {
    const headers: Record<string, string> = {
      accept: 'application/vnd.api+json',
      ...options.headers,
    };
    const key = options.key === undefined ? defaultKey : options.key;
    if (key !== null) headers['authorization'] = `Klaviyo-API-Key ${key}`;
    const revision = options.revision === undefined ? REVISION : options.revision;
    if (revision !== null) headers['revision'] = revision;
    let body: string | FormData | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/vnd.api+json';
    }
    const response = await fetch(`${sandbox.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? JSON.parse(text) : null,
    };
  }
  return {
    call,
    get: (path: string, options?: CallOptions) => call('GET', path, options),
    post: (path: string, body: unknown, options?: CallOptions) =>
      call('POST', path, { ...options, body }),
    patch: (path: string, body: unknown, options?: CallOptions) =>
      call('PATCH', path, { ...options, body }),
    delete: (path: string, options?: CallOptions) => call('DELETE', path, options),
  };
}

export type Api = ReturnType<typeof api>;

/** Follows `links.next` from a first page; returns every item and the number of pages. */
export async function walk(
  client: Api,
  firstPath: string,
): Promise<{ items: JsonBody[]; pages: number }> {
  const items: JsonBody[] = [];
  let path: string | undefined = firstPath;
  let pages = 0;
  while (path) {
    const response = await client.get(path);
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
    items.push(...response.body.data);
    pages += 1;
    const next: string | undefined = response.body.links.next;
    path = next ? next.replace(/^https?:\/\/[^/]+/, '') : undefined;
  }
  return { items, pages };
}

/** The first error object of an error response. */
export function firstError(response: ApiResponse): JsonBody {
  return response.body?.errors?.[0];
}

export const encode = (text: string) => encodeURIComponent(text);

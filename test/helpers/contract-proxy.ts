import { createServer, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A recording HTTP proxy for contract tests: it forwards every request to a target base URL
 * unchanged (method, path+query, headers, body bytes), relays the response unchanged, and keeps
 * both sides of each exchange so that tests can validate them against the spec afterwards.
 */

export interface RecordedRequest {
  method: string;
  /** Path and query exactly as the client sent them. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface RecordedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Exchange {
  request: RecordedRequest;
  response: RecordedResponse;
}

export interface ContractProxy {
  /** Base URL of the proxy (`http://127.0.0.1:<port>`), to give to a client instead of the target. */
  url: string;
  port: number;
  /** Completed exchanges, in the order their responses finished. */
  readonly exchanges: readonly Exchange[];
  close(): Promise<void>;
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) describe the client's connection to the proxy, not the
 * request; the upstream leg uses its own short-lived connection instead.
 */
function endToEndHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const { connection: _connection, 'keep-alive': _keepAlive, ...rest } = headers;
  return rest;
}

function forward(target: URL, request: RecordedRequest): Promise<RecordedResponse> {
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: endToEndHeaders(request.headers),
        // A fresh connection per exchange keeps `close()` from waiting on idle sockets.
        agent: false,
      },
      (response) => {
        readBody(response).then(
          (body) =>
            resolve({ status: response.statusCode ?? 502, headers: response.headers, body }),
          reject,
        );
      },
    );
    upstream.on('error', reject);
    upstream.end(request.body);
  });
}

/** The one response the proxy makes up itself: the target did not answer. */
function badGateway(error: unknown): RecordedResponse {
  const detail = error instanceof Error ? error.message : String(error);
  const body = Buffer.from(JSON.stringify({ proxyError: `target did not answer: ${detail}` }));
  return { status: 502, headers: { 'content-type': 'application/json' }, body };
}

async function handle(
  target: URL,
  exchanges: Exchange[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const request: RecordedRequest = {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    headers: req.headers,
    body: await readBody(req),
  };
  const response = await forward(target, request).catch(badGateway);
  exchanges.push({ request, response });
  // The body is relayed whole, so a chunked upstream answer is re-sent with a known length.
  const { 'transfer-encoding': _chunked, ...headers } = response.headers;
  res.writeHead(response.status, { ...headers, 'content-length': String(response.body.length) });
  res.end(response.body);
}

/**
 * Starts a recording proxy on 127.0.0.1 (random port) in front of `targetBaseUrl`. The client's
 * `Host` header is forwarded as sent, like every other header.
 */
export async function startContractProxy(targetBaseUrl: string): Promise<ContractProxy> {
  const target = new URL(targetBaseUrl);
  const exchanges: Exchange[] = [];
  const server: Server = createServer((req, res) => {
    handle(target, exchanges, req, res).catch((error: unknown) => {
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    exchanges,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

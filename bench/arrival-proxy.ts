import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A pass-through HTTP proxy that notes when each request arrived, so a benchmark can check the
 * rate the server actually saw in every window — whoever sent it, our client or another.
 */
export interface ArrivalProxy {
  url: string;
  arrivals: { at: number; path: string; status?: number }[];
  close(): Promise<void>;
}

export async function startArrivalProxy(target: string): Promise<ArrivalProxy> {
  const upstream = new URL(target);
  const arrivals: ArrivalProxy['arrivals'] = [];
  const server = createServer((req, res) => {
    const arrival: { at: number; path: string; status?: number } = {
      at: performance.now(),
      path: req.url ?? '',
    };
    arrivals.push(arrival);
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (upstreamRes) => {
        arrival.status = upstreamRes.statusCode ?? 502;
        res.writeHead(arrival.status, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The most requests that arrived within any span of `windowMs` (a sliding window). */
export function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

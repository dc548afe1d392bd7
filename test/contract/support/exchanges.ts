import type { Exchange } from '../../helpers/contract-proxy.js';
import { matchOperation, validateRequest, validateResponse } from '../../helpers/openapi.js';
import type { ContractProblem } from '../../helpers/openapi.js';

/** Readers over recorded exchanges, shaped so that a failing assertion names each culprit. */

function label(exchange: Exchange, index: number): string {
  const { method, url } = exchange.request;
  return `#${index} ${method} ${url} → ${exchange.response.status}`;
}

/** Exchanges named per problem, so that one systematic mistake reads as one entry. */
const EXAMPLES_PER_PROBLEM = 3;

function collect(
  exchanges: readonly Exchange[],
  check: (exchange: Exchange) => ContractProblem[],
): Record<string, string[]> {
  const byProblem = new Map<string, string[]>();
  exchanges.forEach((exchange, index) => {
    for (const { message } of check(exchange)) {
      const seen = byProblem.get(message) ?? [];
      seen.push(label(exchange, index));
      byProblem.set(message, seen);
    }
  });
  const report: Record<string, string[]> = {};
  for (const [message, seen] of byProblem) {
    const more = seen.length - EXAMPLES_PER_PROBLEM;
    report[message] = [
      ...seen.slice(0, EXAMPLES_PER_PROBLEM),
      ...(more > 0 ? [`… and ${more} more`] : []),
    ];
  }
  return report;
}

/** Request problems, each with the exchanges that show it; `{}` when all follow the spec. */
export function requestProblems(exchanges: readonly Exchange[]): Record<string, string[]> {
  return collect(exchanges, (e) => validateRequest(e.request));
}

/** Response problems, each with the exchanges that show it; `{}` when all follow the spec. */
export function responseProblems(exchanges: readonly Exchange[]): Record<string, string[]> {
  return collect(exchanges, (e) =>
    validateResponse({
      ...e.request,
      status: e.response.status,
      headers: e.response.headers,
      body: e.response.body,
    }),
  );
}

/** operationIds that answered with a 2xx at least once. */
export function succeededOperations(exchanges: readonly Exchange[]): Set<string> {
  const ids = new Set<string>();
  for (const { request, response } of exchanges) {
    if (response.status < 200 || response.status >= 300) continue;
    const pathname = new URL(request.url, 'http://contract.invalid').pathname;
    const match = matchOperation(request.method, pathname);
    if (match) ids.add(match.operationId);
  }
  return ids;
}

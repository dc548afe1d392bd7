import { randomUUID } from 'node:crypto';

/**
 * JSON:API error responses exactly as the spec's ClientError/ServerError schema:
 * `{ errors: [{ id, status, code, title, detail, source: { pointer | parameter } }] }`, with the
 * codes and titles Klaviyo uses. `ApiProblem` is a response value thrown inside request handling
 * and turned into a reply by the server's error handler; it never leaves the sandbox, which is
 * why it is not part of the AppError hierarchy.
 */

/** Where the problem is: a JSON pointer into the body, or a parameter. */
export type ErrorSource = { pointer: string } | { parameter: string };

/** One item of the `errors` array. */
export interface ApiErrorObject {
  id: string;
  status: number;
  code: string;
  title: string;
  detail: string;
  source: ErrorSource;
}

/** An error before its id and status are added. */
export interface ProblemItem {
  code?: string;
  title?: string;
  detail: string;
  source?: ErrorSource;
}

const TITLES: Record<number, [code: string, title: string]> = {
  400: ['invalid', 'Invalid input.'],
  401: ['not_authenticated', 'Authentication credentials were not provided.'],
  403: ['permission_denied', 'You do not have permission to perform this action.'],
  404: ['not_found', 'Not found.'],
  405: ['method_not_allowed', 'Method not allowed.'],
  409: ['conflict', 'Conflict.'],
  413: ['payload_too_large', 'Request body too large.'],
  415: ['unsupported_media_type', 'Unsupported media type.'],
  429: ['throttled', 'Request was throttled.'],
  500: ['error', 'A server error occurred.'],
  503: ['service_unavailable', 'Service unavailable.'],
};

/**
 * Klaviyo puts `source.pointer: "/data/"` on errors that concern no particular field (auth, rate
 * limits, server errors); the sandbox does the same so every error has a `source`.
 */
const NO_SOURCE: ErrorSource = { pointer: '/data/' };

/** An error response (status, error items, extra headers). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly items: ProblemItem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(items.map((i) => i.detail).join('; '));
    this.name = 'ApiProblem';
  }

  /** The response body. */
  body(): { errors: ApiErrorObject[] } {
    const [code, title] = TITLES[this.status] ?? ['error', 'Error.'];
    return {
      errors: this.items.map((item) => ({
        id: randomUUID(),
        status: this.status,
        code: item.code ?? code,
        title: item.title ?? title,
        detail: item.detail,
        source: item.source ?? NO_SOURCE,
      })),
    };
  }
}

/** A 400. */
export function invalid(detail: string, source?: ErrorSource): ApiProblem {
  return new ApiProblem(400, [{ detail, ...(source ? { source } : {}) }]);
}

/** A 400 naming a query parameter or header. */
export function invalidParameter(parameter: string, detail: string): ApiProblem {
  return invalid(detail, { parameter });
}

/** A 400 pointing into the request body. */
export function invalidPointer(pointer: string, detail: string): ApiProblem {
  return invalid(detail, { pointer });
}

/** A 404; `parameter` names what was not found (the path's `id` by default). */
export function notFound(detail: string, parameter = 'id'): ApiProblem {
  return new ApiProblem(404, [{ detail, source: { parameter } }]);
}

/** A 409, optionally pointing into the body. */
export function conflict(detail: string, pointer?: string): ApiProblem {
  return new ApiProblem(409, [{ detail, ...(pointer ? { source: { pointer } } : {}) }]);
}

/** An error with any status and the default code and title for it. */
export function problem(status: number, detail: string, code?: string): ApiProblem {
  return new ApiProblem(status, [{ detail, ...(code ? { code } : {}) }]);
}

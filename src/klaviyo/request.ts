import type { z } from 'zod';
import { RequestValidationError } from '../errors.js';

/** Validates a request body part with zod, or throws RequestValidationError (no HTTP call). */
export function validateRequest<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  throw new RequestValidationError(`Invalid ${what}: ${issues.join('; ')}`);
}

/** Appends query parameters (skipping undefined) to a path. */
export function withQuery(
  path: string,
  params: Record<string, string | number | undefined>,
): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) search.set(name, String(value));
  }
  const query = search.toString();
  return query === '' ? path : `${path}?${query}`;
}

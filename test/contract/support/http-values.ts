/** Small readers for recorded HTTP values: headers, media types and bodies. */

/** Header values as Node gives them (`IncomingHttpHeaders`) or as a test writes them. */
export type HeaderBag = Record<string, string | string[] | number | undefined>;

/** A header's value by case-insensitive name; repeated values joined as HTTP would. */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return Array.isArray(value) ? value.join(', ') : String(value);
  }
  return undefined;
}

/**
 * Media type without parameters (`application/vnd.api+json; charset=utf-8` → the first part):
 * OpenAPI keys `content` by media type, and validators match on that, not on parameters.
 */
export function essence(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase() || undefined;
}

const JSON_API = 'application/vnd.api+json';
/** The only media type parameters JSON:API allows on its media type. */
const JSON_API_PARAMETERS = new Set(['ext', 'profile']);

/**
 * JSON:API's own rule on top of OpenAPI's media type match: `application/vnd.api+json` carries no
 * parameters except `ext` and `profile` (servers answer 415 to a request that adds any, e.g.
 * `charset`). Returns the offending parameters, if any.
 */
export function jsonApiParameterProblem(contentType: string | undefined): string | undefined {
  if (essence(contentType) !== JSON_API || contentType === undefined) return undefined;
  const names = contentType
    .split(';')
    .slice(1)
    .map((p) => p.split('=')[0]?.trim().toLowerCase() ?? '')
    .filter((name) => name !== '' && !JSON_API_PARAMETERS.has(name));
  if (names.length === 0) return undefined;
  return `Content-Type "${contentType}": JSON:API allows no media type parameters but ext and profile`;
}

/** A recorded body: none, raw bytes as on the wire, or an already-parsed value. */
export type Body =
  { kind: 'none' } | { kind: 'bytes'; bytes: Uint8Array } | { kind: 'value'; value: unknown };

export function toBody(body: unknown): Body {
  if (body === undefined || body === null) return { kind: 'none' };
  if (typeof body === 'string') {
    return body === '' ? { kind: 'none' } : { kind: 'bytes', bytes: Buffer.from(body, 'utf8') };
  }
  if (body instanceof Uint8Array) {
    return body.length === 0 ? { kind: 'none' } : { kind: 'bytes', bytes: body };
  }
  return { kind: 'value', value: body };
}

export function parseJson(body: Body): { value: unknown } | { error: string } {
  if (body.kind === 'value') return { value: body.value };
  if (body.kind === 'none') return { error: 'is empty' };
  try {
    return { value: JSON.parse(Buffer.from(body.bytes).toString('utf8')) as unknown };
  } catch {
    return { error: 'is not valid JSON' };
  }
}

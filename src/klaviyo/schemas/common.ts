import { z } from 'zod';

/**
 * Building blocks for the JSON:API documents of the Customer Agent API. Response schemas are
 * loose (`z.looseObject`): the API is in beta and may add fields, which must not break us. Request
 * schemas are strict (`z.strictObject`): a field we send that the API does not know is our bug.
 */

/** A value of a response enum this client does not know yet, kept as the API's text. */
export type UnknownEnumValue = string & { readonly unknownEnumValue?: true };

/** Unknown enum values seen by this process (`field=value`), so each is reported once. */
const seenUnknown = new Set<string>();
let unreported: { field: string; value: string }[] = [];

/**
 * An enum in a response. The API is in beta and adds values; a value not in `values` is kept as
 * text (typed `UnknownEnumValue`, so code must say what it does with one) instead of failing the
 * whole response, and is reported once per process through `takeUnknownEnumValues`.
 */
export function responseEnum<const T extends readonly [string, ...string[]]>(
  values: T,
  field: string,
) {
  const known = new Set<string>(values);
  return z.string().transform((value): T[number] | UnknownEnumValue => {
    const key = `${field}=${value}`;
    if (!known.has(value) && !seenUnknown.has(key)) {
      seenUnknown.add(key);
      unreported.push({ field, value });
    }
    return value;
  });
}

/** Unknown enum values first seen since the last call (the transport logs them). */
export function takeUnknownEnumValues(): { field: string; value: string }[] {
  const taken = unreported;
  unreported = [];
  return taken;
}

/** Timestamps are kept as the API's strings; responses are not re-validated as ISO dates. */
export const DateTimeString = z.string();

/** `links` of a single resource or document. */
export const ObjectLinksSchema = z.looseObject({ self: z.string().optional() });

/** `links` of a collection: `next` is absent (or null) on the last page. */
export const CollectionLinksSchema = z.looseObject({
  self: z.string().optional(),
  next: z.string().nullish(),
  prev: z.string().nullish(),
});

/** `{ type, id }` pointing at another resource. */
export function identifierSchema<T extends string>(type: T) {
  return z.looseObject({ type: z.literal(type), id: z.string().min(1) });
}

/** A to-many relationship as it appears in a response. */
export function toManySchema<T extends string>(type: T) {
  return z.looseObject({
    data: z.array(identifierSchema(type)).optional(),
    links: z
      .looseObject({ self: z.string().optional(), related: z.string().optional() })
      .optional(),
  });
}

/** A JSON:API resource object: `{ type, id, attributes, relationships?, links? }`. */
export function resourceSchema<T extends string, A extends z.ZodType, R extends z.ZodType>(
  type: T,
  attributes: A,
  relationships: R,
) {
  return z.looseObject({
    type: z.literal(type),
    id: z.string().min(1),
    attributes,
    relationships: relationships.optional(),
    links: ObjectLinksSchema.optional(),
  });
}

/** A resource without relationships. */
export function plainResourceSchema<T extends string, A extends z.ZodType>(type: T, attributes: A) {
  return z.looseObject({
    type: z.literal(type),
    id: z.string().min(1),
    attributes,
    links: ObjectLinksSchema.optional(),
  });
}

/** `{ data: <resource> }` */
export function singleDocumentSchema<S extends z.ZodType>(resource: S) {
  return z.looseObject({ data: resource, links: ObjectLinksSchema.optional() });
}

/**
 * `{ data: [<resource>...], links: { next } }`. Several list endpoints are typed in the spec with
 * a single-object wrapper; we follow JSON:API (and DESIGN.md) and expect an array.
 */
export function listDocumentSchema<S extends z.ZodType>(resource: S) {
  return z.looseObject({ data: z.array(resource), links: CollectionLinksSchema.optional() });
}

/** A to-many relationship linkage written in a request body. */
export function linkageRequest(type: string, ids: readonly string[]) {
  return { data: ids.map((id) => ({ type, id })) };
}

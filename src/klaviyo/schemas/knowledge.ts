import { z } from 'zod';
import {
  DateTimeString,
  plainResourceSchema,
  responseEnum,
  type UnknownEnumValue,
} from './common.js';

export const KNOWLEDGE_STATUSES = ['pending', 'indexing', 'indexed', 'failed', 'rejected'] as const;
export const WEBPAGE_SCOPES = ['single-page', 'entire-site'] as const;

const SnippetSourceSchema = z.looseObject({
  source_type: z.literal('snippet'),
  title: z.string().nullish(),
  content: z.string().nullish(),
});
const WebpageSourceSchema = z.looseObject({
  source_type: z.literal('webpage'),
  url: z.string().nullish(),
  scope: responseEnum(WEBPAGE_SCOPES, 'knowledge.scope').nullish(),
  auto_reindex: z.boolean().nullish(),
});
const FileSourceSchema = z.looseObject({
  source_type: z.literal('file'),
  title: z.string().nullish(),
});

export const KNOWLEDGE_SOURCE_TYPES = ['snippet', 'webpage', 'file'] as const;

/**
 * A source type this client does not know yet: reported once, and read as `other` with the API's
 * text kept in `unknown_source_type`, so code handles it by name instead of failing the listing.
 */
const OtherSourceSchema = z
  .looseObject({
    source_type: z
      .string()
      .refine((type) => !(KNOWLEDGE_SOURCE_TYPES as readonly string[]).includes(type))
      .pipe(responseEnum(KNOWLEDGE_SOURCE_TYPES, 'knowledge.source_type')),
    title: z.string().nullish(),
  })
  .transform(({ source_type, ...rest }) => ({
    ...rest,
    source_type: 'other' as const,
    unknown_source_type: source_type as UnknownEnumValue,
  }));

export const KnowledgeAttributesSchema = z.looseObject({
  source: z.union([
    z.discriminatedUnion('source_type', [
      SnippetSourceSchema,
      WebpageSourceSchema,
      FileSourceSchema,
    ]),
    OtherSourceSchema,
  ]),
  status: responseEnum(KNOWLEDGE_STATUSES, 'knowledge.status'),
  created_at: DateTimeString,
  updated_at: DateTimeString,
  indexed_at: DateTimeString.nullish(),
  error: z.string().nullish(),
});
export type KnowledgeAttributes = z.infer<typeof KnowledgeAttributesSchema>;

/** A knowledge source (`agent-knowledge`): snippet, webpage or file; indexes asynchronously. */
export const KnowledgeSchema = plainResourceSchema('agent-knowledge', KnowledgeAttributesSchema);
export type Knowledge = z.infer<typeof KnowledgeSchema>;

/**
 * What `knowledge.create` takes: a snippet (`title` + `content`) or a webpage (`url`). Files go
 * through `knowledge.uploadFile`. A duplicate normalized URL is answered with 409.
 */
export const KnowledgeSourceCreateSchema = z.discriminatedUnion('source_type', [
  z.strictObject({
    source_type: z.literal('snippet'),
    title: z.string().min(1),
    content: z.string().min(1),
  }),
  z.strictObject({
    source_type: z.literal('webpage'),
    url: z.url({ protocol: /^https?$/ }),
    scope: z.enum(WEBPAGE_SCOPES).optional(),
    auto_reindex: z.boolean().nullish(),
  }),
]);
export type KnowledgeSourceCreate = z.input<typeof KnowledgeSourceCreateSchema>;

/** PATCH attributes: only snippets can be edited (`title`, `content`). */
export const KnowledgeUpdateSchema = z.strictObject({
  title: z.string().min(1).nullish(),
  content: z.string().min(1).nullish(),
});
export type KnowledgeUpdate = z.input<typeof KnowledgeUpdateSchema>;

/** A file to upload as knowledge (multipart). `title` defaults to the file name. */
export const KnowledgeFileUploadSchema = z.strictObject({
  filename: z.string().min(1),
  content: z.instanceof(Uint8Array).refine((b) => b.byteLength > 0, 'file is empty'),
  contentType: z.string().min(1).optional(),
  title: z.string().min(1).optional(),
});
export type KnowledgeFileUpload = z.input<typeof KnowledgeFileUploadSchema>;

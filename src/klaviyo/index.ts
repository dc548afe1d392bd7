/**
 * Typed client for Klaviyo's Customer Agent API (beta, revision 2026-07-15.pre): every operation
 * of the spec, JSON:API schemas, cursor pagination, filters, typed errors, one retry policy and
 * a rate limiter shared through Redis. Import from here only.
 */
export { createKlaviyoClient } from './client.js';
export type { KlaviyoClient, KlaviyoClientOptions } from './client.js';
export type { KlaviyoCallEvent } from './transport.js';
export type { RateLimitMode } from './rate-limiter.js';
export type { QuotaView } from './quota.js';
export { SAFETY_MARGIN, pacingIntervalMs, bucketKey } from './rate-limiter.js';
export { Filter, filter } from './filter.js';
export type { FilterValue } from './filter.js';
export type { Page, PageIterator } from './pagination.js';
export {
  KlaviyoApiError,
  KlaviyoNetworkError,
  KlaviyoResponseInvalidError,
  type JsonApiError,
} from './errors.js';
export { RequestValidationError } from '../errors.js';
export { keyFingerprint } from './fingerprint.js';
export { OPERATIONS, GROUP_LIMITS } from './operations.js';
export type {
  KlaviyoOperationId,
  KlaviyoEndpointGroup,
  OperationDef,
  GroupLimits,
} from './operations.js';
export type { AgentResource } from './resources/agent.js';
export type { SkillsResource, SkillToolOptions } from './resources/skills.js';
export type { ToolsResource, ToolListParams } from './resources/tools.js';
export type { KnowledgeResource, KnowledgeListParams } from './resources/knowledge.js';
export type { SecretsResource } from './resources/secrets.js';
export type { ConversationsResource, ConversationListParams } from './resources/conversations.js';
export type { ReportsResource, ResponsesResource } from './resources/reports.js';
export * from './schemas/index.js';

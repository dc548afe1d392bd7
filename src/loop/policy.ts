import { isDeepStrictEqual } from 'node:util';
import { diffWords } from 'diff';
import type { z } from 'zod';
import { PATCH_KINDS, PatchSchema } from './patch.js';
import type { GuidanceItem, Patch, PatchKind } from './patch.js';
import { mapPatchText, patchTextFields, placeholdersInPatch } from './placeholders.js';
import { findGuidanceIndex } from './render-diff.js';
import {
  extractShopperNames,
  findPersonalData,
  PERSONAL_DATA_LABELS,
  scrubPersonalData,
} from './scrub.js';
import type { PersonalDataKind, PersonalDataMatch } from './scrub.js';

/**
 * The policy in code that every drafted patch passes before it can be proposed. Drafts come from an
 * LLM reading untrusted conversations, so this is where prompt injection and shoppers' personal
 * data are stopped, whatever the prompt said. Every rule reports a violation with one sentence a
 * person (or the LLM repair step) can act on; any violation blocks the proposal.
 */

export const POLICY_RULES = [
  'schema',
  'kind_not_allowed',
  'escalation_rule_removed',
  'communication_style_removed',
  'skill_unknown',
  'knowledge_unknown',
  'size_limit',
  'skill_disable',
  'handoff_weakened',
  'unknown_url',
  'personal_data',
  'injection',
  'revert_mismatch',
] as const;
export type PolicyRule = (typeof POLICY_RULES)[number];

export interface PolicyLimits {
  /** Largest share of an existing text's words an edit may change (word diff). @defaultValue 0.6 */
  maxChangedRatio: number;
  /** Smallest share of an existing text's length an edit must keep. @defaultValue 0.5 */
  minKeptRatio: number;
  /** Longest knowledge snippet content, in characters. @defaultValue 4000 */
  maxSnippetChars: number;
  /** Longest skill instructions, in characters. @defaultValue 6000 */
  maxInstructionsChars: number;
  /** Longest description (skill, rule, style) or custom tone instruction. @defaultValue 1000 */
  maxDescriptionChars: number;
  /** Whether a patch may set a live skill back to draft. @defaultValue false */
  allowSkillDeactivation: boolean;
}

export const DEFAULT_POLICY_LIMITS: Readonly<PolicyLimits> = {
  maxChangedRatio: 0.6,
  minKeptRatio: 0.5,
  maxSnippetChars: 4000,
  maxInstructionsChars: 6000,
  maxDescriptionChars: 1000,
  allowSkillDeactivation: false,
};

/** Every patch kind; an account that allows everything passes this as `allowedKinds`. */
export const ALL_PATCH_KINDS: readonly PatchKind[] = PATCH_KINDS;

export interface PolicyContext {
  /** The patch kinds this account allows (from the account's config). */
  allowedKinds: readonly PatchKind[];
  /** The agent's current config, read fresh from the API. */
  current: {
    escalationRules: GuidanceItem[];
    communicationStyles: GuidanceItem[];
    skills: {
      id: string;
      status: string;
      description: string;
      instructions: string;
      handoff: string;
    }[];
    knowledge: { id: string; title: string | null; content: string | null; url: string | null }[];
    /** The current tone of voice, when known; tone edits are then size-checked against it. */
    tone?: { preset: string; custom_instruction: string | null };
  };
  /** Text of the evidence transcripts the patch was drafted from (untrusted). */
  transcripts: { role: string; content: string }[];
  /** URLs or domains that drafted text may link to; URLs already in the current config also pass. */
  allowedUrls?: string[];
  limits?: Partial<PolicyLimits>;
  /**
   * Set when the patch reverts an applied proposal. `restores` holds the touched fields' values
   * audited before that proposal was applied (API attribute names, as in a Baseline's `fields`).
   * A patch that restores exactly those values passes the rules that keep existing config from
   * being weakened or rewritten (a revert may cut an instruction back, or take out a rule it had
   * added); with `revert` set, any other patch is refused (`revert_mismatch`).
   */
  revert?: { restores: Record<string, unknown> };
}

export interface PolicyViolation {
  rule: PolicyRule;
  /** One sentence for a person: what is wrong and what to do. */
  message: string;
  /** Dotted path of the offending field in the patch, when there is one. */
  field?: string;
}

export interface PolicyResult {
  ok: boolean;
  violations: PolicyViolation[];
  /**
   * The parsed patch with personal data seen in the transcripts scrubbed out of every text field.
   * When the patch fails `schema`, this is the input unchanged and must not be used.
   */
  patch: Patch;
}

type Limits = Readonly<PolicyLimits>;

function violation(rule: PolicyRule, message: string, field?: string): PolicyViolation {
  return field === undefined ? { rule, message } : { rule, message, field };
}

const percent = (ratio: number): string => `${Math.round(ratio * 100)}%`;

function schemaViolations(input: unknown, error: z.ZodError): PolicyViolation[] {
  const kind: unknown =
    typeof input === 'object' && input !== null ? Reflect.get(input, 'kind') : undefined;
  if (!PATCH_KINDS.includes(kind as PatchKind)) {
    const message = `${JSON.stringify(kind ?? null)} is not a patch kind; use one of ${PATCH_KINDS.join(', ')} (no patch deletes anything).`;
    return [violation('schema', message, 'kind')];
  }
  return error.issues.slice(0, 5).map((issue) => {
    const field = issue.path.join('.');
    if (issue.code === 'too_big' && issue.origin === 'string') {
      const message = `${field} is longer than ${String(issue.maximum)} characters; shorten it.`;
      return violation('size_limit', message, field);
    }
    return violation(
      'schema',
      `${field || 'The patch'} is invalid (${issue.message}); fix the field.`,
      field || undefined,
    );
  });
}

/** Share of the words of `before` and `after` that a word diff marks as removed or added. */
export function changedRatio(before: string, after: string): number {
  let changed = 0;
  let total = 0;
  for (const part of diffWords(before, after)) {
    const weight = part.added || part.removed ? 1 : 2;
    total += part.count * weight;
    if (part.added || part.removed) changed += part.count;
  }
  return total === 0 ? 0 : changed / total;
}

/** Share of the words of `before` that `after` keeps (case-insensitive). */
function keptWordRatio(before: string, after: string): number {
  const parts = diffWords(before.toLowerCase(), after.toLowerCase());
  const kept = parts.filter((p) => !p.added && !p.removed).reduce((n, p) => n + p.count, 0);
  const original = parts.filter((p) => !p.added).reduce((n, p) => n + p.count, 0);
  return original === 0 ? 1 : kept / original;
}

function fieldName(field: string): string {
  return (field.split('.').at(-1) ?? field).replace('_', ' ');
}

function maxCharsFor(field: string, limits: Limits): number | null {
  const name = field.split('.').at(-1);
  if (name === 'instructions') return limits.maxInstructionsChars;
  if (name === 'content') return limits.maxSnippetChars;
  if (name === 'description' || name === 'custom_instruction') return limits.maxDescriptionChars;
  return null; // titles and names: the schema's maximum is enough
}

function sizeViolations(
  field: string,
  text: string,
  original: string | null,
  limits: Limits,
): PolicyViolation[] {
  const max = maxCharsFor(field, limits);
  if (max === null) return [];
  const found: PolicyViolation[] = [];
  const name = fieldName(field);
  if (text.length > max && (original === null || text.length > original.length)) {
    const message = `The ${name} would be ${text.length} characters, over the limit of ${max}; shorten it.`;
    found.push(violation('size_limit', message, field));
  }
  if (original === null || original === '') return found;
  const ratio = changedRatio(original, text);
  if (ratio > limits.maxChangedRatio) {
    const message = `The edit rewrites ${percent(ratio)} of the existing ${name} (at most ${percent(limits.maxChangedRatio)} may change); make a smaller, targeted edit.`;
    found.push(violation('size_limit', message, field));
  }
  if (
    text.length < original.length * limits.minKeptRatio &&
    !field.startsWith('rule.') &&
    !field.startsWith('style.')
  ) {
    const message = `The edit cuts the ${name} to ${percent(text.length / original.length)} of its length (at least ${percent(limits.minKeptRatio)} must stay); add to it instead of removing guidance.`;
    found.push(violation('size_limit', message, field));
  }
  return found;
}

const GUIDANCE = {
  rule: { noun: 'escalation rule', rule: 'escalation_rule_removed', plural: 'escalation rules' },
  style: {
    noun: 'communication style',
    rule: 'communication_style_removed',
    plural: 'communication styles',
  },
} as const;

function guidanceViolations(
  key: keyof typeof GUIDANCE,
  items: readonly GuidanceItem[],
  next: GuidanceItem,
  editedTitle: string | undefined,
  limits: Limits,
): PolicyViolation[] {
  const { noun, rule, plural } = GUIDANCE[key];
  const never = `existing ${plural} are never removed`;
  const v = (message: string, field: string): PolicyViolation =>
    violation(rule, message, `${key}.${field}`);
  if (editedTitle === undefined) {
    if (findGuidanceIndex(items, next.title) < 0) return [];
    const message = `The patch adds the ${noun} "${next.title}", which already exists; edit that ${noun} instead.`;
    return [v(message, 'title')];
  }
  const index = findGuidanceIndex(items, editedTitle);
  const old = items[index];
  if (old === undefined) {
    const message = `The patch edits the ${noun} "${editedTitle}", which does not exist; edit an existing ${noun} by its exact title or add a new one.`;
    return [violation(rule, message, 'title')];
  }
  const found: PolicyViolation[] = [];
  if (old.status === 'enabled' && next.status === 'disabled') {
    const message = `The patch disables the ${noun} "${old.title}"; ${never}. Edit its description instead.`;
    found.push(v(message, 'status'));
  }
  const clash = findGuidanceIndex(items, next.title);
  if (keptWordRatio(old.title, next.title) < 0.5 || (clash >= 0 && clash !== index)) {
    const message = `The patch retitles the ${noun} "${old.title}" to "${next.title}"; ${never}. Keep its title and edit its description.`;
    found.push(v(message, 'title'));
  }
  if (next.description.length < old.description.length * limits.minKeptRatio) {
    const message = `The patch cuts the description of the ${noun} "${old.title}" to ${percent(next.description.length / old.description.length)} of its length; ${never}. Add to the description instead.`;
    found.push(v(message, 'description'));
  }
  return found;
}

function skillViolations(
  patch: Extract<Patch, { kind: 'skill.update' }>,
  context: PolicyContext,
  limits: Limits,
): PolicyViolation[] {
  const skill = context.current.skills.find((s) => s.id === patch.skillId);
  if (skill === undefined) {
    const message = `The patch updates skill "${patch.skillId}", which the agent does not have; target an existing skill id or propose a new skill.`;
    return [violation('skill_unknown', message, 'skillId')];
  }
  const found: PolicyViolation[] = [];
  const { status, handoff } = patch.changes;
  if (status === 'draft' && skill.status === 'live' && !limits.allowSkillDeactivation) {
    const message = `The patch sets the live skill "${skill.id}" to draft, taking it out of production; change its instructions instead.`;
    found.push(violation('skill_disable', message, 'changes.status'));
  }
  if (handoff === 'none' && skill.handoff !== 'none') {
    const message = `The patch changes the handoff of skill "${skill.id}" from "${skill.handoff}" to "none", so shoppers could no longer reach a person; keep the handoff.`;
    found.push(violation('handoff_weakened', message, 'changes.handoff'));
  }
  return found;
}

function knowledgeViolations(
  patch: Extract<Patch, { kind: 'knowledge.update' }>,
  context: PolicyContext,
): PolicyViolation[] {
  const item = context.current.knowledge.find((k) => k.id === patch.knowledgeId);
  if (item === undefined) {
    const message = `The patch updates knowledge item "${patch.knowledgeId}", which the agent does not have; target an existing snippet id or propose a new snippet.`;
    return [violation('knowledge_unknown', message, 'knowledgeId')];
  }
  if (item.url !== null && item.content === null) {
    const message = `Knowledge item "${patch.knowledgeId}" is a webpage (${item.url}), not a snippet; propose a new snippet instead.`;
    return [violation('knowledge_unknown', message, 'knowledgeId')];
  }
  return [];
}

/** The current text of each drafted field that edits an existing text (creates and adds have none). */
function originalTexts(patch: Patch, context: PolicyContext): Record<string, string | null> {
  const { current } = context;
  switch (patch.kind) {
    case 'skill.update': {
      const skill = current.skills.find((s) => s.id === patch.skillId);
      return {
        'changes.description': skill?.description ?? null,
        'changes.instructions': skill?.instructions ?? null,
      };
    }
    case 'knowledge.update': {
      const item = current.knowledge.find((k) => k.id === patch.knowledgeId);
      return { 'changes.title': item?.title ?? null, 'changes.content': item?.content ?? null };
    }
    case 'agent.escalation-rule.edit': {
      const old = current.escalationRules[findGuidanceIndex(current.escalationRules, patch.title)];
      return { 'rule.title': old?.title ?? null, 'rule.description': old?.description ?? null };
    }
    case 'agent.communication-style.edit': {
      const old =
        current.communicationStyles[findGuidanceIndex(current.communicationStyles, patch.title)];
      return { 'style.title': old?.title ?? null, 'style.description': old?.description ?? null };
    }
    case 'agent.tone.update':
      return { 'tone.custom_instruction': current.tone?.custom_instruction ?? null };
    default:
      return {};
  }
}

function structuralViolations(
  patch: Patch,
  context: PolicyContext,
  limits: Limits,
): PolicyViolation[] {
  const { current } = context;
  switch (patch.kind) {
    case 'skill.update':
      return skillViolations(patch, context, limits);
    case 'knowledge.update':
      return knowledgeViolations(patch, context);
    case 'agent.escalation-rule.add':
    case 'agent.escalation-rule.edit': {
      const title = patch.kind === 'agent.escalation-rule.edit' ? patch.title : undefined;
      return guidanceViolations('rule', current.escalationRules, patch.rule, title, limits);
    }
    case 'agent.communication-style.add':
    case 'agent.communication-style.edit': {
      const title = patch.kind === 'agent.communication-style.edit' ? patch.title : undefined;
      return guidanceViolations('style', current.communicationStyles, patch.style, title, limits);
    }
    default:
      return [];
  }
}

/** All text of the current config: the store's own words, trusted where transcripts are not. */
function configText(context: PolicyContext): string {
  const { current } = context;
  return [
    ...[...current.escalationRules, ...current.communicationStyles].flatMap((g) => [
      g.title,
      g.description,
    ]),
    ...current.skills.flatMap((s) => [s.description, s.instructions]),
    ...current.knowledge.flatMap((k) => [k.title ?? '', k.content ?? '', k.url ?? '']),
    current.tone?.custom_instruction ?? '',
  ].join('\n');
}

const matchKey = (m: Pick<PersonalDataMatch, 'kind' | 'value'>): string => `${m.kind}:${m.value}`;

interface TranscriptFacts {
  names: string[];
  orderNumbers: string[];
  keys: Set<string>;
  text: string;
}

/**
 * Personal data in the transcripts, minus what the store's own config already says (its support
 * email or phone number is not a shopper's data and may be repeated in a draft).
 */
function transcriptFacts(context: PolicyContext, trusted: string): TranscriptFacts {
  const text = context.transcripts.map((m) => m.content).join('\n');
  const trustedKeys = new Set(findPersonalData(trusted).map(matchKey));
  const inConfig = (name: string): boolean =>
    findPersonalData(trusted, { names: [name], filter: (m) => m.kind === 'name' }).length > 0;
  const names = extractShopperNames(context.transcripts).filter((name) => !inConfig(name));
  const matches = findPersonalData(text, { names }).filter((m) => !trustedKeys.has(matchKey(m)));
  const orderNumbers = matches.filter((m) => m.kind === 'order_number').map((m) => m.value);
  return { names, orderNumbers, keys: new Set(matches.map(matchKey)), text };
}

// Bare domains are recognised only with common TLDs, so "e.g." or "Node.js" are not links.
const URL_PATTERN =
  /\bhttps?:\/\/[^\s<>"'`)\]]+|\bwww\.[^\s<>"'`)\]]+|(?<![@\w.-])(?:[a-z0-9-]+\.)+(?:com|net|org|io|co|shop|store|us|uk|ca|de|eu|info|biz|app|dev|xyz|me|ly|gl|ru|cn|top|site|online|link|click)(?::\d+)?(?:\/[^\s<>"'`)\]]*)?(?![\w-])/gi;

/** The host of a URL or bare domain, lowercase and without `www.`: the unit `allowedUrls` are compared in. */
function hostOf(url: string): string {
  const host =
    url
      .trim()
      .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
      .split(/[/?#:]/)[0] ?? '';
  return host
    .toLowerCase()
    .replace(/^www\./, '')
    .replace(/\.+$/, '');
}

/** Hosts of the links in `text`. */
function findUrlHosts(text: string): string[] {
  return [...text.matchAll(URL_PATTERN)].map((m) => hostOf(m[0]));
}

const EMAIL_DOMAIN = /[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g;

/** Email addresses in `text` with their domains; an address sends shoppers somewhere, as a link does. */
function findEmails(text: string): { address: string; host: string }[] {
  return [...text.matchAll(EMAIL_DOMAIN)].map((m) => ({ address: m[0], host: hostOf(m[1] ?? '') }));
}

/** A host passes when it is an allowed host or a subdomain of one (help.shop.com under shop.com). */
function isHostAllowed(host: string, allowed: readonly string[]): boolean {
  return allowed.some((a) => host === a || host.endsWith(`.${a}`));
}

/** Phrases aimed at the agent's guardrails; `always` ones are refused even if no transcript has them. */
const INJECTION_PATTERNS: { pattern: RegExp; always: boolean }[] = [
  {
    always: true,
    pattern:
      /\b(?:ignore|disregard|forget|override)(?: all| any)?(?: of)?(?: the| your| my| these| those| its)?(?: previous| prior| above| earlier| existing| original| system| current)* (?:instructions|rules|guidelines|guardrails|policies|prompts?)\b/,
  },
  {
    always: true,
    pattern:
      /\bnever (?:escalate|hand ?off|transfer)\b|\bdo not (?:ever )?escalate\b[^.\n]{0,40}\b(?:human|person|people|agent|team|staff|anyone)\b/,
  },
  {
    always: true,
    pattern:
      /\b(?:remove|delete|disable|drop|turn off|ignore)(?: all| any| the| your| of)* (?:escalation|handoff|hand off) rules?\b/,
  },
  { always: false, pattern: /\bdo not (?:escalate|hand ?off|transfer)\b/ },
  { always: false, pattern: /\byou are now\b/ },
  { always: false, pattern: /\bsystem prompt\b/ },
  { always: false, pattern: /\bdisregard\b/ },
  { always: false, pattern: /\bnew instructions\b/ },
  { always: false, pattern: /\b(?:pretend (?:to be|you are)|act as (?:if|a|an))\b/ },
  {
    always: false,
    pattern: /\breveal (?:your|the) (?:instructions|prompt|configuration|config)\b/,
  },
  { always: false, pattern: /\balways (?:approve|give|issue|offer) (?:a )?(?:full )?refunds?\b/ },
];

/** Lowercase, straight quotes, "don't" → "do not", punctuation to spaces, one space between words. */
function normalizeForInjection(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/\b(\w+)n't\b/g, '$1 not')
    .replace(/\bdont\b/g, 'do not')
    .replace(/[^\p{L}\p{N}'\n.]+/gu, ' ')
    .replace(/ +/g, ' ');
}

/**
 * The injected phrases in `text`: the dangerous ones anywhere, the others only when the
 * conversations (`heard`, normalized) contain them too. A phrase the field's current,
 * store-written text already has is not new and passes.
 */
function findInjections(
  text: string,
  heard: string,
  original: string | null,
): { phrase: string; heard: boolean }[] {
  const drafted = normalizeForInjection(text);
  const before = original === null ? '' : normalizeForInjection(original);
  const found: { phrase: string; heard: boolean }[] = [];
  for (const { pattern, always } of INJECTION_PATTERNS) {
    const phrase = pattern.exec(drafted)?.[0];
    if (phrase === undefined || pattern.test(before)) continue;
    const inTranscripts = pattern.test(heard);
    if (always || inTranscripts) found.push({ phrase, heard: inTranscripts });
  }
  return found;
}

const KIND_WORDS: Record<PersonalDataKind, string> = {
  email: 'an email address',
  phone: 'a phone number',
  order_number: 'an order number',
  card_number: 'a card number',
  address: 'a street address',
  name: "a shopper's name",
};

function linkViolations(
  text: string,
  field: string,
  allowedHosts: readonly string[],
  facts: TranscriptFacts,
): PolicyViolation[] {
  const name = fieldName(field);
  const found: PolicyViolation[] = [];
  for (const host of new Set(findUrlHosts(text))) {
    if (isHostAllowed(host, allowedHosts)) continue;
    const message = `The ${name} links to ${host}, which is not one of the store's own sites; remove the link or use the store's page.`;
    found.push(violation('unknown_url', message, field));
  }
  for (const { address, host } of findEmails(text)) {
    // A shopper's own address is reported (and scrubbed) as personal data instead.
    if (isHostAllowed(host, allowedHosts) || facts.keys.has(`email:${address.toLowerCase()}`))
      continue;
    const message = `The ${name} gives the address ${address}, whose domain is not one of the store's own; use the store's support address.`;
    found.push(violation('unknown_url', message, field));
  }
  return found;
}

/** Scrubs transcript personal data out of every text field and checks links and injected phrases. */
function textChecks(
  patch: Patch,
  context: PolicyContext,
): { patch: Patch; violations: PolicyViolation[] } {
  const trusted = configText(context);
  const facts = transcriptFacts(context, trusted);
  const heard = normalizeForInjection(facts.text);
  const allowedHosts = [
    ...(context.allowedUrls ?? []).map(hostOf).filter((host) => host !== ''),
    ...findUrlHosts(trusted),
    ...findEmails(trusted).map((e) => e.host),
  ];
  const originals = originalTexts(patch, context);
  const violations: PolicyViolation[] = [];
  const scrubbed = mapPatchText(patch, (text, field) => {
    violations.push(...linkViolations(text, field, allowedHosts, facts));
    for (const hit of findInjections(text, heard, originals[field] ?? null)) {
      const source = hit.heard ? ', copied from the conversations' : '';
      const message = `The ${fieldName(field)} contains "${hit.phrase}", an instruction aimed at the agent's guardrails${source}; remove it.`;
      violations.push(violation('injection', message, field));
    }
    const scrub = scrubPersonalData(text, {
      names: facts.names,
      orderNumbers: facts.orderNumbers,
      filter: (m) => m.kind === 'name' || facts.keys.has(matchKey(m)),
    });
    if (scrub.found.length === 0) return text;
    const copied = scrub.found.map((k) => KIND_WORDS[k]).join(' and ');
    const labels = scrub.found.map((k) => PERSONAL_DATA_LABELS[k]).join(', ');
    const message = `The ${fieldName(field)} copies ${copied} from the conversations; the returned patch has ${labels} in its place, and shoppers' details must stay out of the config.`;
    violations.push(violation('personal_data', message, field));
    return scrub.text;
  });
  return { patch: scrubbed, violations };
}

/**
 * Checks a drafted patch against the policy. Never throws on bad input: an invalid patch is a
 * `schema` violation. `personal_data` blocks like every other rule (a copied email or phone number
 * must not reach a reviewer as an approvable proposal), but the returned `patch` is already
 * scrubbed, so a repair step can resubmit it. Placeholders are not violations; see `canApprove`.
 */
export function checkPatch(patch: Patch, context: PolicyContext): PolicyResult {
  const parsed = PatchSchema.safeParse(patch);
  if (!parsed.success)
    return { ok: false, violations: schemaViolations(patch, parsed.error), patch };
  const limits: Limits = { ...DEFAULT_POLICY_LIMITS, ...context.limits };
  const draft = parsed.data;
  const violations: PolicyViolation[] = [];
  if (!context.allowedKinds.includes(draft.kind)) {
    const message = `This account does not allow ${draft.kind} patches; propose one of ${context.allowedKinds.join(', ') || 'nothing (no kinds are allowed)'}.`;
    violations.push(violation('kind_not_allowed', message, 'kind'));
  }
  violations.push(...structuralViolations(draft, context, limits));
  const originals = originalTexts(draft, context);
  for (const { field, text } of patchTextFields(draft)) {
    violations.push(...sizeViolations(field, text, originals[field] ?? null, limits));
  }
  const checked = textChecks(draft, context);
  violations.push(...checked.violations);
  const { revert } = context;
  const final =
    revert === undefined
      ? violations
      : revertViolations(draft, context, revert.restores, violations);
  return { ok: final.length === 0, violations: final, patch: checked.patch };
}

/**
 * Rules a restore of the audited before-state may break: that state was the store's own config
 * until the reverted change, so bringing it back weakens or rewrites nothing the store had.
 * Schema, kinds, unknown targets and personal data still apply.
 */
const REVERT_EXEMPT: ReadonlySet<PolicyRule> = new Set<PolicyRule>([
  'escalation_rule_removed',
  'communication_style_removed',
  'skill_disable',
  'handoff_weakened',
  'size_limit',
  'unknown_url',
  'injection',
]);

function revertViolations(
  patch: Patch,
  context: PolicyContext,
  restores: Record<string, unknown>,
  violations: PolicyViolation[],
): PolicyViolation[] {
  const mismatch = restoreMismatch(patch, context, restores);
  if (mismatch === null) return violations.filter((v) => !REVERT_EXEMPT.has(v.rule));
  return [...violations, violation('revert_mismatch', mismatch)];
}

const REVERT_ONLY = 'a revert restores exactly the values audited before the change, nothing else';

/** Why `patch` is not exactly a restore of `restores`, or null when it is. */
function restoreMismatch(
  patch: Patch,
  context: PolicyContext,
  restores: Record<string, unknown>,
): string | null {
  switch (patch.kind) {
    case 'skill.update':
    case 'knowledge.update':
      return sameFieldsMismatch(patch.changes, restores);
    case 'agent.tone.update':
      return sameFieldsMismatch(
        { tone_of_voice: patch.tone },
        { tone_of_voice: pickTone(restores['tone_of_voice']) },
      );
    case 'agent.escalation-rule.edit':
      return guidanceRestoreMismatch(
        'escalation rule',
        context.current.escalationRules,
        restores['escalation_rules'],
        patch.title,
        patch.rule,
      );
    case 'agent.communication-style.edit':
      return guidanceRestoreMismatch(
        'communication style',
        context.current.communicationStyles,
        restores['communication_styles'],
        patch.title,
        patch.style,
      );
    default:
      return `A ${patch.kind} patch cannot restore an earlier state; ${REVERT_ONLY}.`;
  }
}

function sameFieldsMismatch(
  changes: Record<string, unknown>,
  restores: Record<string, unknown>,
): string | null {
  const fields = Object.keys(changes).filter((k) => changes[k] !== undefined);
  const expected = Object.keys(restores);
  const extra = fields.filter((f) => !expected.includes(f));
  const missing = expected.filter((f) => !fields.includes(f));
  if (extra.length > 0 || missing.length > 0) {
    return `The revert changes ${fields.join(', ') || 'nothing'} but the audited change touched ${expected.join(', ') || 'nothing'}; ${REVERT_ONLY}.`;
  }
  const differs = fields.find((f) => !isDeepStrictEqual(changes[f], restores[f]));
  return differs === undefined
    ? null
    : `The revert sets ${differs} to a value other than the one audited before the change; ${REVERT_ONLY}.`;
}

function pickTone(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const tone = value as Record<string, unknown>;
  return { preset: tone['preset'] ?? null, custom_instruction: tone['custom_instruction'] ?? null };
}

function guidanceItems(value: unknown): GuidanceItem[] | null {
  if (!Array.isArray(value)) return null;
  return value.map((item: unknown) => {
    const record = (typeof item === 'object' && item !== null ? item : {}) as Record<
      string,
      unknown
    >;
    return {
      title: String(record['title'] ?? ''),
      description: String(record['description'] ?? ''),
      status: record['status'] === 'disabled' ? 'disabled' : 'enabled',
    };
  });
}

/**
 * An edit restores a guidance item when it puts back the audited item of that title in place of
 * the current one (which is not an untouched audited item), or — for an item the reverted change
 * added, while patches cannot remove items — when it only disables that item.
 */
function guidanceRestoreMismatch(
  noun: string,
  current: readonly GuidanceItem[],
  audited: unknown,
  title: string,
  next: GuidanceItem,
): string | null {
  const before = guidanceItems(audited);
  if (before === null) return `No audited list of ${noun}s to restore; ${REVERT_ONLY}.`;
  const replaced = current[findGuidanceIndex(current, title)];
  if (replaced === undefined) return `The ${noun} "${title}" does not exist any more.`;
  const restored = before[findGuidanceIndex(before, next.title)];
  const replacedBefore = before[findGuidanceIndex(before, replaced.title)];
  if (restored !== undefined) {
    const replacesUntouched =
      replacedBefore !== undefined &&
      replacedBefore !== restored &&
      isDeepStrictEqual(replacedBefore, guidanceItems([replaced])?.[0]);
    if (isDeepStrictEqual(guidanceItems([next])?.[0], restored) && !replacesUntouched) return null;
    return `The revert does not put back the ${noun} "${next.title}" as audited; ${REVERT_ONLY}.`;
  }
  const disablesAdded =
    replacedBefore === undefined &&
    next.status === 'disabled' &&
    next.title === replaced.title &&
    next.description === replaced.description;
  return disablesAdded
    ? null
    : `The revert changes the ${noun} "${replaced.title}" in a way the audited change does not undo; ${REVERT_ONLY}.`;
}

/**
 * Whether a person may approve `patch` now. Placeholders such as `{{fill: return window}}` are
 * facts only a person knows, so a patch that still has one cannot be approved.
 */
export function canApprove(
  patch: Patch,
): { ok: true; reason: null } | { ok: false; reason: string } {
  const open = placeholdersInPatch(patch);
  if (open.length === 0) return { ok: true, reason: null };
  const list = open.map((p) => `"${p}"`).join(', ');
  return {
    ok: false,
    reason: `Fill the placeholder${open.length === 1 ? '' : 's'} ${list} before approving this proposal.`,
  };
}

import type { Patch } from '../../patches/patch.js';
import { mapPatchText } from '../../domain/placeholders.js';
import { configText, fieldName, originalTexts, violation } from './fields.js';
import type { PolicyContext, PolicyViolation } from './policy.js';
import {
  extractShopperNames,
  findPersonalData,
  PERSONAL_DATA_LABELS,
  scrubPersonalData,
} from '../../domain/scrub.js';
import type { PersonalDataKind, PersonalDataMatch } from '../../domain/scrub.js';

/**
 * The text rules, run on every free-text field of a patch: links and email addresses only to the
 * store's own sites, no phrases aimed at the agent's guardrails, and no shopper's personal data
 * copied from the conversations (scrubbed out of the returned patch).
 */

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
export function textChecks(
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

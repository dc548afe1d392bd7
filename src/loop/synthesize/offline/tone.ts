import { BEHAVIOUR_TOPICS } from '../../../domain/finding.js';
import type { AgentConfigView } from '../../../patches/agent-config.js';
import type { Finding } from '../../../domain/finding.js';
import type { GuidanceItem, Patch } from '../../../patches/patch.js';
import { findGuidanceIndex } from '../../../patches/guidance-list.js';
import { LETTER_END, LETTER_START } from '../../../domain/text.js';
import type { Wording } from '../../../domain/wording.js';
import {
  append,
  draft,
  policyProblems,
  skillOf,
  skillUpdate,
  skip,
  wordingOf,
  type RulesOutcome,
} from './draft.js';

/**
 * The tone template: a skill told to be terse is told to answer warmly instead; otherwise the
 * agent gains a communication style that acknowledges frustration.
 */

/**
 * The alternatives of `pattern` as whole words, case aside. (`wholeWords` keeps only the `u`
 * flag: "Soyez bref" or "Emojis" at the start of a sentence would not match.)
 */
const wholeWordsAnyCase = (pattern: RegExp): RegExp =>
  new RegExp(`${LETTER_START}(?:${pattern.source})${LETTER_END}`, 'iu');

/** Directives asking a skill for the shortest answer, which shoppers read as curt. */
const TERSE_DIRECTIVE =
  /\b(?:as few words as possible|be (?:very |extremely )?(?:brief|terse|short)|keep (?:it|answers|replies|responses) (?:very )?(?:short|brief)|(?:answer|reply|respond) in (?:one|a single) sentence|one[- ]sentence (?:answers?|replies|responses)|(?:no|skip the|skip) pleasantries|no small talk)\b/i;
/** The same in French and Spanish: "le moins de mots possible", "en una sola frase". */
const TERSE_DIRECTIVE_ELSEWHERE = wholeWordsAnyCase(
  /le moins de mots possible|(?:[eê]tre|soyez|sois) (?:tr[eè]s )?(?:bref|br[eè]ve|concis[e]?)|(?:r[eé]pondre|r[eé]pondez|r[eé]ponds) en une (?:seule )?phrase|sans (?:formules de )?politesses?|(?:la |lo )?(?:menor cantidad|menos) (?:de )?palabras posibles?|(?:sea|s[eé]) (?:muy )?(?:breve|conciso|concisa)|(?:responder|responde|responda) en una (?:sola )?(?:frase|oraci[oó]n)|sin (?:cortes[ií]as|formalidades|saludos)/iu,
);
/**
 * The same in German: "Antworten kurz halten", "Halte dich kurz", "so knapp wie möglich", "in
 * einem Satz antworten", "keine Floskeln". Only about replies: "Wartezeiten kurz halten" or "den
 * Kunden kurz auf dem Laufenden halten" is no directive on wording.
 */
const TERSE_DIRECTIVE_DE = wholeWordsAnyCase(
  /(?:antwort|antworten|nachricht|nachrichten|es|dich|euch) (?:\p{L}+ ){0,2}?(?:kurz|knapp) (?:halten|fassen|formulieren)|(?:halte|halt|haltet|fasse|fass|fasst) (?:die |deine |eure |alle |jede )?(?:antwort|antworten|nachricht|nachrichten|es|dich|euch) (?:\p{L}+ ){0,2}?(?:kurz|knapp)(?=\s*(?:[.,;:!]|$)|\s+und\s)|(?:halten|fassen) sie (?:die |ihre |alle |jede )?(?:antwort|antworten|nachricht|nachrichten|es|sich) (?:\p{L}+ ){0,2}?(?:kurz|knapp)(?=\s*(?:[.,;:!]|$)|\s+und\s)|kurz und knapp|so knapp wie möglich|möglichst knapp|(?:antworte|antworten|antwort|nachricht|nachrichten|dich|formuliere|formulieren|schreibe|schreiben|schreib)(?: \p{L}+){0,3} (?:so kurz wie möglich|möglichst kurz)|(?:mit )?so wenigen wörtern wie möglich|mit möglichst wenigen wörtern|so wenige wörter wie möglich|(?:antworte|antworten|antwortet) (?:immer |nur |stets )?in (?:nur )?(?:einem|einem einzigen) satz|in (?:nur )?(?:einem|einem einzigen) satz (?:antworten|beantworten)|(?:sei|seid|seien sie) (?:immer |sehr |extrem |stets )?(?:kurz angebunden|knapp|kurz)(?=\s*(?:[.,;:!]|$)|\s+und\s)|(?:keine|ohne) (?:höflichkeits)?floskeln|(?:kein|keinen|ohne) small ?talk/iu,
);

/**
 * The same in Portuguese: "Seja breve", "Mantenha as respostas curtas", "Responda em uma frase",
 * "com o mínimo de palavras possível", "sem saudações". Only about replies: "Mantenha o cliente
 * informado" or "Explique brevemente o processo" is no directive on wording.
 */
const TERSE_DIRECTIVE_PT = wholeWordsAnyCase(
  /(?:seja|sejam|ser) (?:sempre |bem |muito |extremamente )?(?:breve|curto|curta|conciso|concisa|sucinto|sucinta|seco|seca)(?=\s*(?:[.,;:!]|$)|\s+e\s)|(?:mantenha|mantenham|manter|deixe|deixar) (?:as |suas |todas as |cada )?(?:respostas?|mensagens?) (?:sempre |bem |muito )?(?:curtas?|breves?|concisas?|sucintas?)|(?:responda|respondam|responder) (?:sempre |apenas |só |somente )?(?:de forma|de maneira|de modo) (?:bem |muito )?(?:breve|curta|concisa|sucinta|seca)|(?:responda|respondam|responder|escreva|escrevam|escrever) (?:sempre |apenas |só |somente )?(?:bem |muito )?(?:curto|brevemente)(?=\s*(?:[.,;:!]|$)|\s+e\s)|(?:responda|respondam|responder) (?:sempre |apenas |só |somente )?(?:em|com) (?:uma|uma única|uma só|apenas uma|só uma|somente uma) frase|(?:com |use |usando )?o (?:mínimo|menor número) (?:de|possível de) palavras(?: possível)?|(?:com |use |usando )?(?:o )?menos palavras possível|sem (?:saudações|cumprimentos|formalidades|gentilezas|papo furado|conversa fiada)/iu,
);

/**
 * The instructions with their first terse sentence replaced by `warmLine` and any others taken
 * out (a line left empty goes too); null when they have no terse directive.
 */
function warmInstructions(instructions: string, warmLine: string): string | null {
  let warm = instructions.includes(warmLine);
  let changed = false;
  const lines = instructions.split('\n').flatMap((line) => {
    const sentences = line.match(/[^.!?]*[.!?]+\s*|[^.!?]+$/g) ?? [line];
    const next = sentences.map((sentence) => {
      if (
        ![TERSE_DIRECTIVE, TERSE_DIRECTIVE_ELSEWHERE, TERSE_DIRECTIVE_DE, TERSE_DIRECTIVE_PT].some(
          (t) => t.test(sentence),
        )
      ) {
        return sentence;
      }
      changed = true;
      if (warm) return '';
      warm = true;
      const [lead = ''] = /^\s*(?:[-*•]\s+)?/.exec(sentence) ?? [];
      const [trail = ''] = /\s*$/.exec(sentence) ?? [];
      return `${lead}${warmLine}${trail}`;
    });
    const text = next.join('').trimEnd();
    return line.trim() !== '' && /^\s*[-*•]?\s*$/.test(text) ? [] : [text];
  });
  return changed ? lines.join('\n').trim() : null;
}

/** A terse skill's instructions rewritten to answer warmly, when the policy allows the edit. */
function warmSkillDraft(finding: Finding, view: AgentConfigView): RulesOutcome | null {
  const skill = skillOf(finding, view);
  const warmLine = wordingOf(view).warmLine;
  const instructions = skill === undefined ? null : warmInstructions(skill.instructions, warmLine);
  if (skill === undefined || instructions === null || instructions === skill.instructions) {
    return null;
  }
  const patch: Patch = { kind: 'skill.update', skillId: skill.id, changes: { instructions } };
  if (policyProblems(patch, view).length > 0) return null;
  const why = `The instructions of "${skill.displayName}" ask for the shortest possible answer, which shoppers read as curt; they now ask for warm, complete answers.`;
  return draft(patch, why, `Shoppers get complete, friendly answers from "${skill.displayName}".`);
}

/** Style text that asks for cheer or selling in every reply: what clashes with upset shoppers. */
const CHEER_OR_SELL =
  /\b(?:emoji|emojis|exclamation|upbeat|playful|bubbly|cheerful|enthusias\w*|fun|excit\w*|mention (?:\w+ ){0,4}(?:savings|deals|offers|discounts|promotions)|suggest(?:ing)? (?:a |another )?(?:product|bundle|item)|upsell\w*|cross-?sell\w*|promot\w*|recommend (?:a|another) product|always (?:end|close) with)\b/i;
/** The same in French and Spanish: "toujours enjoué", "sugerir otro producto". */
const CHEER_OR_SELL_ELSEWHERE = wholeWordsAnyCase(
  /[eé]mojis?|exclamaci[oó]n|enjou[eé]e?|joyeu(?:x|se)|enthousias\p{L}*|entusias\p{L}*|alegre|divertid[oa]|ludique|promo(?:uvoir|cionar|tion|ci[oó]n)\p{L}*|sugg[eé]rer (?:un|d autres|un autre) produits?|proposer (?:un|d autres|un autre) produits?|sugerir (?:un|otro|otros) productos?|recomendar (?:un|otro|otros) productos?|(?:terminer|finir|terminar|cerrar) (?:toujours|siempre) (?:par|con)/iu,
);

// German selling, read with what is sold: a word between a thing and its verb is no negation
// ("Zubehör gern empfehlen", not "Zubehör nur empfehlen, wenn …", which limits it).
const WORD_NOT_NEGATION = String.raw`(?!(?:nur|nie|niemals|nicht|kein|keine|keinen)(?!\p{L}))\p{L}+`;
const SOLD_DE = String.raw`(?:passende[mnrs]? |weitere[mnrs]? |ergänzende[mnrs]? )?(?:zubehör|zusatzprodukte?|produkte?n?|artikeln?)`;
const DEALS_DE = String.raw`(?:aktuelle |laufende )?(?:angebote|rabatte|aktionen|sonderangebote|gutscheine|rabattcodes?)`;
const BETWEEN_DE = `(?: ${WORD_NOT_NEGATION}){0,2}`;

/**
 * The same in German: "fröhlich", "begeistert", "Ausrufezeichen", "Produktempfehlung",
 * "Empfehlung für Zubehör", "passendes Zubehör empfehlen" / "Empfiehl passendes Zubehör",
 * "Rabatte erwähnen" / "Erwähne aktuelle Rabatte". (Emoji are read above.)
 */
const CHEER_OR_SELL_DE = new RegExp(
  `${LETTER_START}(?:${[
    String.raw`fröhlich\p{L}*|begeister\p{L}*|gut gelaunt\p{L}*|gute laune|witzig\p{L}*|humorvoll\p{L}*|verspielt\p{L}*|überschwänglich\p{L}*`,
    String.raw`ausrufezeichen|smileys?|emoticons?|werbeaktion\p{L}*|produktempfehlung\p{L}*|zubehörempfehlung\p{L}*`,
    `(?:empfehlung|empfehlungen|vorschlag|vorschläge|tipp|tipps) (?:für|zu|von) ${SOLD_DE}`,
    `${SOLD_DE}${BETWEEN_DE} (?:empfehlen|vorschlagen|anbieten|anpreisen)`,
    `(?:empfiehl|empfehlen sie|schlag|schlage|biete|bieten sie)${BETWEEN_DE} ${SOLD_DE}`,
    `${DEALS_DE}${BETWEEN_DE} (?:erwähnen|nennen|bewerben)`,
    `(?:erwähne|erwähnen sie|nenne|bewirb)${BETWEEN_DE} ${DEALS_DE}`,
    `(?:weise|weisen sie)${BETWEEN_DE} auf ${DEALS_DE}|auf ${DEALS_DE} hinweisen`,
  ].join('|')})${LETTER_END}`,
  'iu',
);

/**
 * The same in Portuguese: "animado", "descontraída", "empolgação", "pontos de exclamação",
 * "promoções", "sugira outros produtos", "recomende uma peça", "mencione os cupons", "termine
 * sempre com". (Emoji,
 * "alegre", "divertido" and "entusiasmo" are read above.)
 */
const CHEER_OR_SELL_PT = wholeWordsAnyCase(
  /animad[oa]s?|descontra[ií]d[oa]s?|empolga\p{L}*|divertid[oa]s|alto[- ]astral|bem[- ]humorad[oa]s?|(?:ponto|pontos) de exclamação|exclamaç(?:ão|ões)|promoç(?:ão|ões)|promover|promova|(?:sugira|sugerir|recomende|recomendar|ofereça|oferecer|indique|indicar) (?:sempre )?(?:um|uma|outro|outra|outros|outras|mais um|mais uma|novos|novas) (?:produtos?|peças?|itens|item|acessórios?)|(?:sugestão|sugestões|recomendação|recomendações|indicação|indicações) de (?:produtos?|peças?|acessórios?)|(?:mencione|mencionar|divulgue|divulgar|lembre|lembrar) (?:(?!(?:não|nunca|sem|nenhum|nenhuma)(?!\p{L}))\p{L}+ ){0,3}?(?:cupons?|descontos|ofertas|liquidações?)|(?:sempre (?:termine|terminar|finalize|finalizar|encerre|encerrar)|(?:termine|terminar|finalize|finalizar|encerre|encerrar) sempre) (?:a resposta |as respostas |cada resposta |a conversa )?com|venda cruzada/iu,
);

/** Words just before a mention of cheer that limit it instead: "at most one emoji", "sin emojis". */
const RESTRAINED =
  /(?:^|[^\p{L}])(?:at most|no|never|avoid|skip|without|not|limit(?: it)? to|max(?:imum|\.)?|no more than|only|fewer|sans|pas d|jamais|[ée]vite[rz]?|au plus|sin|nunca|evita[r]?|m[áa]ximo|como mucho|não|nada de|sem|evite|evitar|no máximo|apenas|somente|só|nenhum|nenhuma|kein|keine|keinen|keinerlei|nie|niemals|nicht|ohne|höchstens|maximal|nur|vermeide|vermeiden|verzichte auf|weniger|sparsam mit|zurückhaltend mit)(?:\s+[\p{L}\d]+){0,2}\s*$/iu;

/**
 * Words just after a mention that limit it, as German puts the verb last: "Emojis vermeiden",
 * "auf Emojis verzichten", "Emojis und Ausrufezeichen weglassen", "Emojis nur sparsam einsetzen".
 * Only other items of a list ("und", "oder", a comma) may stand between.
 */
const RESTRAINED_AFTER =
  /^(?:\s*(?:,|\sund|\soder|\ssowie)\s+[\p{L}-]+)*\s+(?:(?:bitte|möglichst|lieber|ganz|komplett|grundsätzlich|immer|stets) )?(?:vermeiden|weglassen|unterlassen|verzichten|nicht (?:verwenden|benutzen|nutzen|einsetzen)|(?:sind|ist) (?:tabu|verboten|unerwünscht|nicht erwünscht)|nur (?:sparsam|selten|vereinzelt|auf nachfrage|auf wunsch)|nur,? (?:wenn|falls)|sparsam)(?!\p{L})/iu;

/**
 * The same in Portuguese: "emojis com moderação", "emojis só quando o cliente usar", "emojis,
 * apenas se o cliente usar", "emojis estão proibidos".
 */
const RESTRAINED_AFTER_PT =
  /^(?:\s*(?:,|\se|\sou)\s+[\p{L}-]+)*,?\s+(?:com (?:moderação|parcimônia)|(?:só|apenas|somente) (?:quando|se|em caso)|(?:estão|são|está|é) (?:proibid[oa]s?|vetad[oa]s?)|nunca|jamais)(?!\p{L})/iu;

/** All four, global, so each mention can be read with what stands before and after it. */
const CHEER_MENTIONS = [
  CHEER_OR_SELL,
  CHEER_OR_SELL_ELSEWHERE,
  CHEER_OR_SELL_DE,
  CHEER_OR_SELL_PT,
].map((pattern) => new RegExp(pattern.source, `${pattern.flags}g`));

/** True when a text asks for cheer or selling, not when it only limits it. */
function asksForCheer(text: string): boolean {
  return CHEER_MENTIONS.some((pattern) =>
    [...text.matchAll(pattern)].some(
      (m) =>
        !RESTRAINED.test(text.slice(Math.max(0, m.index - 40), m.index)) &&
        !RESTRAINED_AFTER.test(text.slice(m.index + m[0].length)) &&
        !RESTRAINED_AFTER_PT.test(text.slice(m.index + m[0].length)),
    ),
  );
}

/** What an upset-shoppers fix is expected to change, wherever the exception goes. */
const GENTLER = 'Upset shoppers get plain, attentive answers instead of cheer and sales pitches.';

/**
 * Replies that clash with upset shoppers: what asks for cheer or selling gains the exception (it is
 * the cause): an enabled style, else the instructions of the finding's skill, else those of the one
 * live skill that asks for it (replies follow a skill's steps whatever the topic sounds like).
 * Otherwise a style for upset shoppers is added.
 */
function upsetShoppersDraft(finding: Finding, view: AgentConfigView, say: Wording): RulesOutcome {
  const styles = view.agent.communicationStyles;
  const upsetStyle: GuidanceItem = {
    title: say.upsetStyleTitle,
    description: say.upsetException,
    status: 'enabled',
  };
  const cause = styles.find((st) => st.status === 'enabled' && asksForCheer(st.description));
  if (cause !== undefined) {
    if (cause.description.includes(say.upsetException)) {
      return skip(`The communication style "${cause.title}" already has the exception.`);
    }
    const style: GuidanceItem = {
      ...cause,
      description: append(cause.description, say.upsetException, ' '),
    };
    const patch: Patch = { kind: 'agent.communication-style.edit', title: cause.title, style };
    if (policyProblems(patch, view).length === 0) {
      const why = `The communication style "${cause.title}" asks for cheer or selling in every reply, which grieving, hurt or angry shoppers received too; it now makes an exception for them.`;
      return draft(patch, why, GENTLER);
    }
  }
  const own = skillOf(finding, view);
  const cheerful =
    own !== undefined && asksForCheer(own.instructions)
      ? [own]
      : view.skills.filter((s) => s.status === 'live' && asksForCheer(s.instructions));
  const skill = cheerful.length === 1 ? cheerful[0] : undefined;
  if (skill !== undefined) {
    if (skill.instructions.includes(say.upsetException)) {
      return skip(`The instructions of "${skill.displayName}" already have the exception.`);
    }
    const patch = skillUpdate(skill, 'instructions', say.upsetException);
    if (policyProblems(patch, view).length === 0) {
      const why = `The instructions of "${skill.displayName}" ask for cheer or selling in every reply, which grieving, frightened or angry shoppers received too; they now make an exception for them.`;
      return draft(patch, why, GENTLER);
    }
  }
  if (findGuidanceIndex(styles, upsetStyle.title) >= 0) {
    return skip(`The communication style "${upsetStyle.title}" already exists.`);
  }
  const patch: Patch = { kind: 'agent.communication-style.add', style: upsetStyle };
  const why =
    'Grieving, hurt or angry shoppers were answered cheerfully or with a sales pitch; a style now asks for plain, attentive replies to them.';
  return draft(patch, why, GENTLER);
}

export function tone(finding: Finding, view: AgentConfigView): RulesOutcome {
  const say = wordingOf(view);
  if (finding.topic === BEHAVIOUR_TOPICS.upset) return upsetShoppersDraft(finding, view, say);
  // A skill told to be terse is the cause; a communication style would not override it.
  const warm = warmSkillDraft(finding, view);
  if (warm !== null) return warm;
  const courteous: GuidanceItem = { ...say.courteousStyle, status: 'enabled' };
  const index = findGuidanceIndex(view.agent.communicationStyles, courteous.title);
  if (index >= 0) {
    return skip(`The communication style "${courteous.title}" already exists.`);
  }
  // No topic in the text: tone findings on several topics then draft one identical proposal.
  const patch: Patch = { kind: 'agent.communication-style.add', style: courteous };
  const why =
    'Shoppers left after bare, curt replies; a communication style asks for complete, courteous ones.';
  return draft(patch, why, 'Fewer shoppers leaving after a curt reply.');
}

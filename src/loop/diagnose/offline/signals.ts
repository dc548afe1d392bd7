import {
  LETTER_END,
  LETTER_START,
  spacedWords,
  splitSentences,
  squash,
  wholeWords,
  withoutApostrophes,
  words,
} from '../../../domain/text.js';

/**
 * Phrase signals read from one message. Patterns run on the message's words joined by single
 * spaces (lower case, apostrophes dropped: "don't" → "dont"), so punctuation and line breaks do
 * not matter. They describe what support conversations say in any store, never the demo's
 * exact sentences. Transcript text is only ever matched here, never executed or obeyed.
 */

/** Whether any of the patterns (English and its other-language twin) reads in the text. */
function test(patterns: RegExp | readonly RegExp[], text: string): boolean {
  const n = spacedWords(text);
  return [patterns].flat().some((pattern) => pattern.test(n));
}

const PEOPLE =
  '(?:(?:real|live|actual|human|proper) )?(?:person|people|human|humans|human being|agent|rep|representative|manager|supervisor|someone|somebody|staff|employee|team member|teammate|customer service|support team|your team|operator)';
const ASK_VERB =
  '(?:talk|talking|speak|speaking|chat|chatting|connect|connected|transfer|transferred|contact|escalate|escalated)';
const HUMAN_ASK = new RegExp(
  [
    `\\b${ASK_VERB}(?: me)?(?: (?:to|with|through to))?(?: (?:a|an|the|some|your|one of your))? ${PEOPLE}\\b`,
    '\\b(?:get|put|reach|want|need|like|have) (?:me )?(?:through to |to )?(?:a|an|to a) (?:real |live |actual )?(?:human|person|representative|manager|supervisor)\\b',
    '\\b(?:real|live|actual) (?:person|human|agent|people)\\b',
    '\\bhuman being\\b',
    // "I'd like someone from your team to look into it".
    '\\b(?:someone|somebody|a person|a teammate) (?:from|on|at|in) (?:your|the) (?:team|store|shop|company|staff)\\b',
    '\\b(?:a|an|the) (?:human|representative|supervisor)\\b',
    // "Is there someone I can actually talk to?", "that's why I'm asking for a person".
    `\\b(?:is there|isnt there|theres?|have you got|do you have) (?:anyone|anybody|someone|somebody|a person|a human)(?: (?:i|we) (?:can|could))?(?: (?:actually|just|please))? ${ASK_VERB}\\b`,
    `\\b(?:asking|asked|ask) for (?:a|an) (?:real |live |actual )?(?:person|human|manager|supervisor)\\b`,
    // "Please who can I speak to?", "I need this escalated", "can you escalate my case".
    '\\bwho (?:can|could|do|should|shall) (?:i|we) (?:speak|talk) (?:to|with)\\b',
    '\\b(?:need|want|get|have) (?:this|it|my (?:case|issue|complaint|claim)) escalated\\b|\\b(?:please|can you|could you|pls) escalate (?:this|it|my (?:case|issue|complaint|claim))\\b',
    '\\b(?:is|are) (?:this|you) (?:a )?(?:bot|robot|machine|real)\\b.*\\b(?:human|person)\\b',
    // French and Spanish: "parler à quelqu'un", "une réponse d'un être humain", "hablar con alguien".
    '\\b(?:parler|discuter) (?:a|à|avec) (?:quelquun|quelqu un|une personne|un humain|un conseiller|une conseill[eè]re|un agent|un responsable)\\b',
    '(?:^| )(?:etre|être) humain\\b|\\b(?:une )?(?:vraie?|vrai) personne\\b|\\bquelqu ?un (?:peut|pourrait|pour) (?:me )?(?:rappeler|appeler|contacter|repondre|répondre)\\b',
    '\\bhablar con (?:alguien|una persona|un humano|un agente|un asesor|una asesora|el encargado|la encargada)\\b|\\b(?:una )?persona (?:real|de verdad)\\b|\\balguien (?:que )?(?:me )?(?:pueda |puede )?(?:llame|llamar|atienda|atender)\\b',
  ].join('|'),
);
// "I don't need a human", "no need to talk to a person": the shopper declines a person.
const HUMAN_ASK_NEGATED =
  /\b(?:dont|do not|no need|never|without)(?: (?:really|want|need|wish|have|to|for|talk|speak|chat|with|a|an|the|real|live|actual))* (?:person|human|agent|representative|manager|someone)\b/;

/**
 * The same in German: "mit einem Menschen sprechen", "ich möchte, dass sich ein Mitarbeiter
 * meldet", "bitte um Rückruf" (not a product's "Rückruf", a recall).
 */
const HUMAN_ASK_GERMAN = wholeWords(
  /(?:mit|einen?|einem|einer) (?:echten |richtigen |lebenden )?(?:menschen|mitarbeiter\p{L}*|person|kolleg\p{L}*|berater\p{L}*|verantwortlichen|vorgesetzten|chef\p{L}*) (?:\p{L}+ ){0,2}(?:sprechen|reden|telefonieren|verbunden|verbinden)|(?:echten|richtigen) (?:menschen|mitarbeiter\p{L}*)|(?:m[oö]chte|will|h[aä]tte gern|brauche) (?:\p{L}+ ){0,3}(?:einen menschen|einen mitarbeiter|eine mitarbeiterin|jemanden (?:vom|aus dem) team)|(?:dass sich|soll sich|m[oö]ge sich) (?:ein|eine|jemand) (?:\p{L}+ ){0,3}meldet|(?:bitte um|um einen) r[uü]ckruf|r[uü]ckruf bitte|(?:kann|k[oö]nnte) mich (?:jemand|ein mitarbeiter|eine mitarbeiterin) (?:\p{L}+ )?(?:anrufen|zur[uü]ckrufen)/u,
);

/** Who a Portuguese-speaking shopper asks for, or an agent hands over to. */
const PT_PEOPLE = String.raw`(?:atendentes?|humanos?|humanas?|pessoas?|algu[eé]m|gerente|respons[aá]vel|supervisora?|vendedora?|vendedor|consultora?|funcion[aá]ri[oa]|equipe|suporte|time|setor|sac|especialistas?|colegas?)`;

/**
 * The same in Portuguese, as shoppers write it (accents often dropped): "quero falar com um
 * atendente", "tem alguém humano aí?", "uma pessoa de verdade", "me passa pra equipe" (not "não
 * precisa de atendente", nor "vou falar com a pessoa que vai ganhar o presente").
 */
const HUMAN_ASK_PORTUGUESE = wholeWords(
  new RegExp(
    [
      String.raw`(?<!vou )(?<!vamos )(?:falar|conversar|falo|converso|fale) com (?:um |uma |o |a |algum |alguma |alguem |algu[eé]m )?(?:de verdade |real )?${PT_PEOPLE}(?! que (?:vai|vou|ganh|receb))`,
      String.raw`(?:pessoa|atendente|gente|algu[eé]m) (?:de verdade|real)|(?:atendente|atendimento|pessoa) human[oa]`,
      String.raw`(?:tem|h[aá]|existe|cad[eê]) (?:algu[eé]m|alguma pessoa|algum atendente|algum humano|um humano|uma pessoa|atendente)(?: \p{L}+){0,2} (?:humano|da loja|da equipe|de verdade|a[ií]|que (?:possa|pode|consiga))`,
      String.raw`(?:quero|queria|preciso|prefiro|exijo) (?:de )?(?:um |uma )?(?:atendente|humano|atendimento humano|pessoa de verdade)`,
      String.raw`(?:me )?(?:transfere|transfira|passa|passe|encaminha|encaminhe|coloca|coloque) (?:pra|para|com) (?:um |uma |o |a )?(?:atendente|humano|pessoa|algu[eé]m|equipe|gerente)`,
      String.raw`algu[eé]m (?:da loja|da equipe|de voc[eê]s) (?:\p{L}+ ){0,2}(?:pode|poderia|consegue|possa|me ligar|me retornar)|algu[eé]m (?:pode|poderia) (?:me )?(?:ligar|retornar|chamar)`,
    ].join('|'),
    'u',
  ),
);
const HUMAN_ASK_NEGATED_PORTUGUESE = wholeWords(
  /(?:n[aã]o|sem) (?:precisa|preciso|precisava|quero|queria|necessidade)(?: \p{L}+){0,4} (?:atendentes?|humanos?|pessoas?|equipe)/u,
);

/** The shopper asks for a person: "talk to a person", "speak to a human", "a representative". */
export function isHumanAsk(text: string): boolean {
  // "Are you a real person or a bot?" asks what it is; "…? I need a human" asks for one too.
  const n = spacedWords(text).replace(WHAT_IT_IS, ' ');
  if (HUMAN_ASK_GERMAN.test(n)) return true;
  if (HUMAN_ASK_PORTUGUESE.test(n) && !HUMAN_ASK_NEGATED_PORTUGUESE.test(n)) return true;
  return HUMAN_ASK.test(n) && !HUMAN_ASK_NEGATED.test(n) && !CURIOUS_WHAT_IT_IS.test(n);
}

/** "are you a real person or a bot", "is this a bot", "am I talking to a human". */
const WHAT_IT_IS =
  /\b(?:are you|is this|is it|am i (?:talking|chatting|speaking) (?:to|with)) (?:a |an )?(?:real |actual |live )?(?:person|human|bot|robot|machine|ai)(?: or (?:a |an )?(?:real |actual |live )?(?:person|human|bot|robot|machine|ai))?\b/g;

/** "Are you a bot or a real person? Just curious": wondering what they talk to, not asking. */
const CURIOUS_WHAT_IT_IS =
  /\b(?:is|are) (?:this|you|it)\b.{0,40}\b(?:bot|robot|machine|ai|human|person)\b.*\b(?:just curious|out of curiosity|just wondering|curious)\b/;

const HANDOFF_VERBS =
  '(?:connect|connecting|transfer|transferring|pass|passing|passed|hand|handing|handed|escalate|escalating|escalated|route|routing|routed|bring|bringing)';
const TEAM_WORDS =
  '(?:team|teammate|member|person|human|agent|specialist|colleague|representative|support|staff|manager|someone|somebody|experts?|advisers?|advisors?|consultants?|technicians?|opticians?|pharmacists?|stylists?|coordinators?|associates?|department|desk)';
const HANDOFF_AFFIRMED = new RegExp(
  [
    `\\b(?:im|i am|ive|i have|we are|were|weve|we have|let me|ill|i will|i|we) (?:now |just |going to |about to )?${HANDOFF_VERBS} (?:you|this|it|(?:your|this|the) (?:\\w+ ){0,2}?(?:conversation|chat|request|case|question|issue|message|ticket|query))(?: (?:over|along|on))? (?:to|with|through to) (?:\\w+ ){0,4}?${TEAM_WORDS}\\b`,
    // "I'll get the team to help with your invoice": a person is asked to take it on.
    `\\b(?:ill|i will|let me|im going to|i am going to|well|we will) (?:get|have|ask) (?:the|our|a|one of our) (?:\\w+ ){0,2}?${TEAM_WORDS} to (?:help|look|check|contact|reply|respond|sort|call|email|text|get back|follow up|take)\\b`,
    '\\b(?:someone|somebody|a teammate|a member of (?:our |the )?(?:\\w+ )?team|our (?:\\w+ )?team|an agent|a specialist|a person|a human|a representative|a colleague|one of our (?:\\w+ )?(?:team|teammates|specialists|agents|colleagues)) (?:from (?:our |the )?(?:\\w+ )?(?:team|support) )?(?:will|is going to|should|can) (?:reply|respond|be with you|get back|follow up|contact|reach out|be in touch|take over|join|look into|text you|email you|call you|message you|check|confirm|help)\\b',
    // "I'm connecting you with one of our opticians": whoever they are, a person takes over.
    '\\b(?:im|i am|ill|i will|let me|were|we are|we will|well) (?:now |just |going to |about to )?(?:connecting|connect|transferring|transfer|putting|put) you (?:through )?(?:to|with) (?:one of our|a member of)\\b',
    `\\b(?:ive|i have|weve|we have|i|we) (?:just )?(?:sent|forwarded|passed|handed|escalated|shared|flagged|raised|referred) (?:this|it|your (?:\\w+ )?(?:question|request|message|case|details|issue|enquiry|inquiry|query|email)(?: \\w+){0,6}?) (?:on |over |along )?(?:to|with) (?:\\w+ ){0,3}?${TEAM_WORDS}\\b`,
  ].join('|'),
);
const HANDOFF_REFUSED =
  /\b(?:(?:not able|unable|dont have a way|no way) to|cant|cannot|can not) (?:connect|transfer|pass|hand|put) you\b|\bno (?:human|person|people|agents?|staff) (?:are |is )?available\b|\bthere is no one\b/;
const HANDOFF_OFFER =
  /\b(?:would you like|do you want|shall i|should i|want me to|can i) (?:me )?(?:to )?(?:connect|transfer|pass|hand|put|bring in|get)\b/;
/** "Soll ich dich mit der Werkstatt verbinden?", "Möchten Sie, dass sich jemand meldet?" */
const HANDOFF_OFFER_GERMAN = wholeWords(
  /(?:soll|darf|kann) ich (?:\p{L}+ ){0,6}(?:weiterleiten|weitergeben|verbinden|[uü]bergeben|melden lassen)|(?:m[oö]chtest du|m[oö]chten sie|willst du|wollen sie|sollen wir),? dass (?:sich )?(?:jemand|ein kolleg\p{L}*|eine kolleg\p{L}*|das team|ein mitarbeiter|eine mitarbeiterin|wir)/u,
);

/**
 * The same in French and Spanish: "je transmets ta demande à notre équipe", "un conseiller vous
 * recontactera", "te comunico con un asesor", "su consulta ha sido canalizada al área de pagos".
 */
const HANDOFF_AFFIRMED_ELSEWHERE = wholeWords(
  /je (?:vous |te )?(?:transmets|transf[eè]re|redirige) (?:votre|ta|vos|tes|la|le) (?:demande|question|message|dossier|requ[eê]te|r[eé]clamation|conversation|cas)|je (?:vous |te )?(?:transf[eè]re|redirige|mets en (?:relation|contact)) (?:[aà]|au|aux|avec|vers)|(?:est|a [eé]t[eé]|sera) (?:transmise?|transf[eé]r[eé]e?|confi[eé]e?|redirig[eé]e?) (?:[aà]|au|aux)|(?:l [eé]quipe|un conseiller|une conseill[eè]re|une personne|un coll[eè]gue|un sp[eé]cialiste|le service) (?:\p{L}+ ){0,4}(?:te|vous) (?:recontactera|r[eé]pondra|rappellera|contactera|reviendra|[eé]crira)|te (?:comunico|transfiero|paso|canalizo|conecto) con|(?:ha sido|fue|qued[oó]) (?:canalizad[ao]|transferid[ao]|turnad[ao]|asignad[ao]) (?:al|a la|a un|a una|con)|ya (?:les |le )?(?:pas[eé]|envi[eé]|turn[eé]|reenvi[eé]|mand[eé]) (?:tu|su) (?:mensaje|caso|consulta|solicitud)|(?:un|una) (?:asesor|asesora|especialista|persona|agente|compa[nñ]er[oa]) (?:\p{L}+ ){0,4}(?:te|le) (?:va a |van a )?(?:confirma|contacta|escribe|responde|atiende|llama|confirmar|contactar|escribir|responder|atender|llamar)\p{L}*|(?:te|le) (?:contactan|escriben|atienden|contactar[aá]n|escribir[aá]n|atender[aá]n|llamar[aá]n)|(?:he|hemos) (?:pasado|trasladado|derivado|enviado|remitido|transferido|reenviado|dejado) (?:tu|su|vuestra|la) (?:consulta|caso|mensaje|solicitud|petici[oó]n|incidencia|pregunta|duda)|(?:te |le |os )?(?:voy|vamos) a (?:pasar|trasladar|derivar|transferir|remitir)\p{L}*|(?:est[aá]|queda|qued[oó]) (?:ya )?(?:asignad[ao]|derivad[ao]|trasladad[ao]|en manos) (?:a|al|a la|del|de la|de un|de una)|(?:j ai|nous avons|on a) (?:transmis|transf[eé]r[eé]|envoy[eé]|pass[eé]) (?:votre|ta|vos|tes) (?:demande|question|message|dossier|requ[eê]te)|je vais (?:vous |te )?(?:transmettre|transf[eé]rer|passer)/u,
);

/**
 * The same in German: "ich leite Ihre Anfrage an das Team weiter", "ich gebe dich an die Werkstatt
 * weiter", "eine Kollegin meldet sich bei Ihnen", "habe ich an den Kundenservice übergeben".
 */
const HANDOFF_AFFIRMED_GERMAN = wholeWords(
  /ich (?:leite|gebe|reiche) (?:\p{L}+ ){0,8}(?:weiter|an (?:das|den|die|unser\p{L}*) (?:\p{L}+ )?(?:team|kolleg\p{L}*|mitarbeiter\p{L}*|werkstatt|service\p{L}*|abteilung|kundenservice|kundendienst|fachleute|expert\p{L}*))|ich (?:verbinde|[uü]bergebe) (?:dich|sie|euch|ihre anfrage|deine anfrage|das gespr[aä]ch)|(?:habe|hab|haben) (?:\p{L}+ ){0,6}(?:weitergeleitet|weitergegeben|[uü]bergeben|[uü]bermittelt)|(?:das team|unser team|ein kollege|eine kollegin|die kollegen|die kolleginnen|ein mitarbeiter|eine mitarbeiterin|jemand aus (?:dem|unserem) \p{L}*team|unser \p{L}*team|die werkstatt|der kundenservice) (?:\p{L}+ ){0,4}(?:meldet sich|melden sich|wird sich (?:\p{L}+ ){0,6}melden|werden sich (?:\p{L}+ ){0,6}melden|ruft (?:dich|sie|euch) (?:\p{L}+ ){0,3}an|rufen (?:dich|sie|euch) (?:\p{L}+ ){0,3}an|k[uü]mmert sich|k[uü]mmern sich)/u,
);

/** Passing a conversation on, in Portuguese: "transferir", "encaminhei", "estou passando". */
const PT_HAND_VERB = String.raw`(?:transferir|transferindo|transfiro|transferi|encaminhar|encaminhando|encaminho|encaminhei|passar|passando|passo|passei|direcionar|direcionando|direciono|direcionei|repassar|repassando|repasso|repassei)`;
/** To whom, in Portuguese: "pra nossa equipe", "para um atendente", "ao setor de trocas". */
const PT_TO_TEAM = String.raw`(?:pra|para|a|à|ao|com) (?:a |o |um |uma |nossa |nosso |nossas |nossos |os |as )?${PT_PEOPLE}`;

/**
 * The same in Portuguese: "vou te transferir pra nossa equipe", "encaminhei seu pedido ao setor
 * de trocas", "uma atendente vai te responder", "a equipe entrará em contato" (not "vou te passar
 * o código de rastreio").
 */
const HANDOFF_AFFIRMED_PORTUGUESE = wholeWords(
  new RegExp(
    [
      String.raw`${PT_HAND_VERB}(?: \p{L}+){0,5} ${PT_TO_TEAM}`,
      String.raw`(?:a |o |um |uma |nossa |nosso )?(?:equipe|time|atendente|algu[eé]m da equipe|algu[eé]m do time|consultora?|especialista|setor \p{L}+|pessoal d[eoa] \p{L}+) (?:\p{L}+ ){0,4}(?:vai|v[aã]o|ir[aá]|ir[aã]o) (?:te |lhe )?(?:responder|retornar|entrar em contato|contatar|chamar|ligar|atender|dar retorno)`,
      String.raw`(?:entrar[aá]|entrar[aã]o|v[aã]o entrar|vai entrar) em contato (?:com voc[eê]|contigo)`,
    ].join('|'),
    'u',
  ),
);

/**
 * An offer in Portuguese: "quer que eu te transfira?", "posso te passar pra equipe?", "gostaria
 * de falar com uma atendente?".
 */
const HANDOFF_OFFER_PORTUGUESE = wholeWords(
  new RegExp(
    [
      String.raw`(?:quer|querem|deseja|desejam|gostaria|prefere) que eu (?:te |lhe )?(?:transfira|encaminhe|passe|direcione|conecte|chame)`,
      String.raw`(?:posso|podemos) (?:te |lhe )?${PT_HAND_VERB}(?: \p{L}+){0,5} ${PT_TO_TEAM}`,
      String.raw`(?:quer|deseja|gostaria de) (?:falar|conversar) com (?:a |o |um |uma |nossa |nosso )?${PT_PEOPLE}`,
    ].join('|'),
    'u',
  ),
);

/** A refusal in Portuguese: "não consigo te transferir", "não temos atendentes disponíveis". */
const HANDOFF_REFUSED_PORTUGUESE = wholeWords(
  /n[aã]o (?:consigo|posso|tenho como|temos como|conseguimos|podemos) (?:te |lhe )?(?:transferir|passar|encaminhar|conectar)|n[aã]o (?:temos|tem|h[aá]) (?:\p{L}+ )?(?:atendentes?|atendimento humano|ningu[eé]m|pessoas?) dispon[ií]ve\p{L}*/u,
);

/**
 * A statement closed by a tag that asks nothing: "vou te transferir pra equipe, tá?", "…, ok?".
 * The sentence says what the agent does; the tag only softens it.
 */
const TAG_QUESTION = /,?\s*(?:t[aá](?: bom)?|ok|okay|certo|viu|beleza|combinado)\s*\?+\s*$/iu;

/** The agent says it is handing the conversation to a person (not an offer, not a refusal). */
export function agentHandsOff(text: string): boolean {
  const n = spacedWords(text);
  if (HANDOFF_REFUSED.test(n) || HANDOFF_OFFER.test(n) || HANDOFF_OFFER_GERMAN.test(n))
    return false;
  if (HANDOFF_REFUSED_PORTUGUESE.test(n) || HANDOFF_OFFER_PORTUGUESE.test(n)) return false;
  return (
    HANDOFF_AFFIRMED.test(n) ||
    sentences(text)
      .map((s) => s.replace(TAG_QUESTION, '.'))
      .some(
        (s) =>
          !s.trim().endsWith('?') &&
          test(
            [HANDOFF_AFFIRMED_ELSEWHERE, HANDOFF_AFFIRMED_GERMAN, HANDOFF_AFFIRMED_PORTUGUESE],
            s,
          ),
      )
  );
}

/** The agent offers a person ("Would you like me to connect you with a teammate?"). */
export function agentOffersHandoff(text: string): boolean {
  return (
    test([HANDOFF_OFFER, HANDOFF_OFFER_GERMAN, HANDOFF_OFFER_PORTUGUESE], text) &&
    !test([HANDOFF_REFUSED, HANDOFF_REFUSED_PORTUGUESE], text)
  );
}

/** The agent refuses to hand off ("I'm not able to connect you with a person"). */
export function agentRefusesHandoff(text: string): boolean {
  return test([HANDOFF_REFUSED, HANDOFF_REFUSED_PORTUGUESE], text);
}

const LACKS_INFO = new RegExp(
  [
    '\\b(?:im|i am) not (?:sure|certain)\\b(?! (?:i|what you|if i) (?:understand|follow|mean))',
    '\\b(?:i|we) (?:dont|do not) know\\b',
    '\\b(?:i|we) (?:dont|do not) have (?:a|any) way (?:to|of) (?:see|seeing|check|checking|tell|telling|know|knowing|find|finding)\\b',
    '\\b(?:dont|do not|didnt|did not) have (?:\\w+ ){0,3}(?:information|info|details?|answer|data|specifics|guidance|guide|steps|process|procedure|schedule|figures|instructions)\\b',
    '\\b(?:dont|do not|didnt|did not) have (?:the |any |those |that )?(?:specific|exact|precise|detailed)\\b',
    // "I don't have an official recipe", "a confirmed holiday cutoff", "a tested ratio to share".
    '\\b(?:dont|do not|didnt|did not) have (?:an?|any) (?:official|tested|confirmed|posted|published|verified|definite|recommended|reliable) \\w+',
    '\\b(?:i|we) (?:dont|do not) see (?:an?|any) (?:posted|published|official|confirmed) \\w+',
    '\\b(?:i|we) (?:honestly|really|truly) (?:cant|cannot|can not) (?:say|tell|confirm)\\b',
    '\\b(?:im|i am|were|we are) (?:unable|not able) to (?:confirm|advise|say|tell you) (?:whether|if|what|how|when|which|who)\\b',
    // Not finding the shopper's own order or account is a lookup result, not missing knowledge.
    '\\b(?:i|we) (?:cant|cannot|can not|couldnt|could not|wasnt able to|was unable to) (?:find|answer|say|tell|help with)\\b(?! (?:an?|any|your|the|that) (?:order|account|record|profile|subscription|tracking|package|purchase))',
    '\\b(?:im|i am|were|we are) (?:unable|not able) to (?:find|answer|help with|say)\\b',
    '\\bno (?:information|info|details) (?:about|on|for)\\b',
    '\\boutside (?:of )?(?:what|the things) i can\\b',
    '\\byou (?:may|might|can) find (?:more )?(?:details|information|info) (?:in|on)\\b',
    // "I have no trade-in information", "I don't have anything on that", "not something I know".
    '\\b(?:i|we) (?:have|got) no (?:\\w+ ){0,3}?(?:information|info|details|data|answer)\\b',
    '\\b(?:dont|do not|didnt|did not) have anything (?:on|about|regarding|for)\\b',
    // "I'm not finding anything about…", "I don't see a surcharge listed", "can't confirm that."
    '\\b(?:im|i am|were|we are) not (?:finding|seeing) (?:anything|any (?:information|info|details|mention))\\b',
    '\\b(?:i|we) (?:dont|do not) see (?:an?|any) (?:\\w+ ){0,3}(?:listed|mentioned|documented|noted)\\b',
    '\\b(?:cant|cannot|can not|unable to|not able to) confirm (?:that|this|it)(?: for (?:you|sure))? ?$',
    '\\bnot something (?:i|we) (?:have|know|can (?:say|answer|confirm|speak to))\\b',
    '\\b(?:isnt|is not|arent|are not) something (?:i|we) (?:have|know)\\b',
  ].join('|'),
);

/**
 * What no store's knowledge holds: a future product, a roadmap, a release not announced, or
 * another maker's product, for which the agent points to that maker ("Miele's own guide will
 * know"). Not knowing it is right, not a gap in the knowledge.
 */
const BEYOND_THE_STORE = new RegExp(
  [
    String.raw`\b(?:future (?:plans?|products?|releases?|models?|versions?|launch\w*)|roadmap|unreleased|not (?:yet )?(?:been )?announced|(?:only|first) (?:announced|revealed|shared)|upcoming (?:products?|releases?|models?|launch\w*))\b`,
    String.raw`\b(?!(?:our|my|your) )\w+ own (?:guide|manual|support|support line|website|site|app|instructions|help ?desk|customer service)\b|\b(?:check|contact|ask) (?:with )?the (?:manufacturer|maker)\b|\bmanufacturers? (?:guide|manual|website|support|instructions)\b`,
  ].join('|'),
);

/** The agent's lack is of something no store's knowledge holds (see BEYOND_THE_STORE). */
export function beyondTheStore(text: string): boolean {
  return test(BEYOND_THE_STORE, text);
}

/**
 * The agent sends the shopper to whoever decides or can tell: "that's up to your HSA
 * administrator", "the right people to ask are your septic installer", "your county extension
 * office can test for it". Not the store's own team ("contact our team").
 */
const THIRD_PARTY =
  '(?:administrator|admin|provider|insurer|insurance|installer|company|office|department|director|organi[sz]ers?|doctor|gp|vet|pharmacist|council|county|school|landlord|bank|airline|carrier|manufacturer|maker|lab|laboratory|authorit\\w+|plan)';
const REFERS_ELSEWHERE = new RegExp(
  [
    `\\b(?:up to|decided by|set by) (?:your|the) (?:\\w+ ){0,2}${THIRD_PARTY}\\b`,
    `\\b(?:check|confirm|ask|contact|call) (?:with )?(?:your|the) (?:\\w+ ){0,3}${THIRD_PARTY}\\b`,
    `\\b(?:your|a|the) (?:\\w+ ){0,3}${THIRD_PARTY} (?:can|will|would|should) (?:tell|test|confirm|check|answer|advise|know|have)\\b`,
    '\\bthe right (?:people|person|ones?) to ask\\b',
  ].join('|'),
);

/** The agent sends the shopper to a third party who decides or knows (see REFERS_ELSEWHERE). */
export function refersElsewhere(text: string): boolean {
  return test(REFERS_ELSEWHERE, text);
}

/**
 * The agent states the edge of what it handles, not a fact of the store: "I can only set up
 * returns for our orders", "that isn't something I can arrange here", "I'm only able to help with
 * tracking". Said by the skill that took the conversation, it names that skill's frame.
 */
const SCOPE_LIMIT = new RegExp(
  [
    String.raw`\b(?:i|we) can only (?:help|assist|set up|arrange|book|process|handle|look up|check|deal|do|raise|open|take)\b`,
    String.raw`\b(?:i am|im|i was|we are|were) only (?:able|set up|here) to (?:help|assist|set up|arrange|book|process|handle|look up|check|deal)\b`,
    String.raw`\b(?:isnt|is not|arent|are not|not) (?:something|anything|things?) (?:i|we) can (?:help with|arrange|book|set up|handle|do|process|sort)(?: (?:here|through this chat|in this chat|from here))?\b`,
    String.raw`\b(?:i|we) (?:cant|cannot|can not|am not able to|are not able to|m not able to) (?:help with|arrange|book|set up|handle|process) (?:that|this|those|these|\w+(?: \w+)?) (?:here|through this chat|in this chat|from here)\b`,
  ].join('|'),
);

/** The agent says what it cannot take on here is outside what it handles (see SCOPE_LIMIT). */
export function statesScopeLimit(text: string): boolean {
  return test(SCOPE_LIMIT, text);
}

/** The same in French and Spanish: "je n'ai pas d'information sur", "no tengo información sobre". */
const LACKS_INFO_ELSEWHERE = wholeWords(
  /(?:je n ?ai (?:malheureusement )?pas (?:d ?|les |le |la |l |plus d ?)(?:informations?|infos?|d[ée]tails?|pr[ée]cisions?|confirmation|donn[ée]es?)|je ne dispose pas (?:d ?|de l ?)|je ne (?:peux|suis pas en mesure de) pas (?:vous )?(?:confirmer|dire)|je ne sais pas (?:si|quand|combien|comment)|no (?:tengo|dispongo de|cuento con) (?:el |los |la |las |ese |esa |esos |m[aá]s )?(?:informaci[oó]n|datos?|detalles?|confirmaci[oó]n|precisi[oó]n)|no (?:puedo|sabr[ií]a) (?:confirmar|decir)(?:le|te)?|no s[eé] (?:si|cu[aá]ndo|cu[aá]nto|c[oó]mo))/u,
);

/**
 * The same in German: "dazu habe ich leider keine Informationen", "das kann ich Ihnen nicht sagen",
 * "ich weiß leider nicht, ob…", "liegen mir keine Angaben vor".
 */
const LACKS_INFO_GERMAN = wholeWords(
  /(?:habe|hab|haben) (?:ich |wir )?(?:\p{L}+ ){0,2}(?:leider )?keine (?:\p{L}+ )?(?:informationen|infos|angaben|details|daten|auskunft)|(?:liegen|sind) (?:mir|uns) (?:\p{L}+ ){0,2}keine|(?:kann|k[oö]nnen) (?:ich|wir) (?:ihnen|dir|euch )?(?:\p{L}+ ){0,3}(?:leider )?(?:nicht|nichts|keine) (?:\p{L}+ )?(?:sagen|beantworten|best[aä]tigen|zusagen|versprechen|einsch[aä]tzen)|(?:wei[sß]|wissen) (?:ich|wir) (?:leider |selbst |auch )?nicht|ich wei[sß] (?:leider |es )?nicht|(?:finde|sehe) ich (?:leider )?(?:nichts|keine (?:informationen|angaben))|dazu (?:finde|habe|sehe) ich (?:leider )?nichts/u,
);

/** What an agent lacks, in Portuguese: "informação", "informações", "dados", "detalhes". */
const PT_INFO = String.raw`(?:informa[cç](?:[aã]o|[oõ]es)|infos?|dados|detalhes?|confirma[cç][aã]o)`;

/**
 * The same in Portuguese: "não tenho informação sobre…", "não sei se…", "não consigo confirmar",
 * "não saberia te dizer", "essa informação não consta aqui".
 */
const LACKS_INFO_PORTUGUESE = wholeWords(
  new RegExp(
    [
      String.raw`n[aã]o (?:tenho|temos|possuo|possu[ií]mos|disponho de|dispomos de|encontrei|encontramos|achei) (?:\p{L}+ )?(?:essa |esta |esse |a |as |o |os |mais |nenhuma |nenhum |muitas? )?${PT_INFO}`,
      String.raw`n[aã]o (?:sei|saberia|sabemos|saber[ií]amos) (?:te |lhe )?(?:informar |dizer |responder |confirmar |ao certo |exatamente |com certeza )*(?:se|quando|quanto|quantos|quantas|como|qual|quais|onde|informar|dizer|responder|confirmar)`,
      String.raw`n[aã]o (?:consigo|posso|conseguimos|podemos|tenho como|temos como) (?:te |lhe )?(?:confirmar|afirmar|garantir|informar|dizer|responder|precisar|saber)`,
      String.raw`n[aã]o h[aá] (?:nenhuma )?${PT_INFO} (?:sobre|a respeito)|(?:essa|esta|esse|este) (?:\p{L}+ )?(?:informa[cç][aã]o|dado|detalhe) n[aã]o (?:est[aá]|consta|aparece)`,
    ].join('|'),
    'u',
  ),
);

/** The agent says it does not have, know or find the information. */
export function agentLacksInfo(text: string): boolean {
  // "I'm not sure which order you mean. Could you share the number?" asks to clarify.
  if (test(ASKS_FOR_DETAILS, text)) return false;
  return sentences(text).some(
    (s) =>
      !s.trim().endsWith('?') &&
      test([LACKS_INFO, LACKS_INFO_ELSEWHERE, LACKS_INFO_GERMAN, LACKS_INFO_PORTUGUESE], s),
  );
}

// What the agent says it lacks: "I don't have information on X", "I'm not able to say whether X".
const LACKS_SUBJECT = new RegExp(
  [
    '\\b(?:dont|do not|didnt|did not) have (?:any |specific |the |more |much |enough )?(?:information|info|details|guidance|answer|data|specifics) (?:about|on|regarding|for|whether|if|as to) (.+)',
    '\\b(?:not (?:able|sure)|unable) (?:to (?:say|tell|confirm|advise) )?(?:about|whether|if|on) (.+)',
    '\\b(?:dont|do not|didnt|did not) have (?:the |any |those |that )?(?:specific|exact|precise|detailed) (.+?)(?: available| on hand| to share| with me)?$',
    '\\b(?:dont|do not|didnt|did not) have anything (?:on|about|regarding|for) (.+)',
    '\\b(?:i|we) (?:have|got) no (.+?) (?:information|info|details|data)\\b',
    '\\b(?:not able|unable|cant|cannot|couldnt|could not|wasnt able|was unable|werent able|were unable) (?:to )?find (?:any |the )?(.+?) (?:information|info|details|data)\\b',
  ].join('|'),
);
// The same in Spanish and French: "no dispongo de información sobre X", "je n'ai pas d'info sur X",
// read with its commas: a comma ends the subject ("…sur la livraison au Yukon, mais…").
const LACKS_SUBJECT_ELSEWHERE = new RegExp(
  [
    String.raw`${LETTER_START}no (?:tengo|dispongo de|cuento con|tenemos|disponemos de|encuentro) (?:ninguna |m[aá]s |la )?(?:informaci[oó]n|info|datos|detalles)(?: \p{L}+){0,2} (?:sobre|acerca de|respecto a|de) ([^,;:(.!?]+)`,
    String.raw`${LETTER_START}no (?:tengo|dispongo de|cuento con|tenemos|disponemos de) (?:las|los|el|la) ([^,;:(.!?]+)`,
    String.raw`${LETTER_START}je n ai pas (?:d |de l |les |l |plus d |d autres? )?(?:informations?|infos?|d[eé]tails?|donn[eé]es|pr[eé]cisions?)(?: \p{L}+){0,2} (?:sur|concernant|au sujet de|quant [aà]|pour) ([^,;:(.!?]+)`,
  ].join('|'),
  'u',
);
// German: "zur Inzahlungnahme liegen mir keine Informationen vor", "zu X habe ich keine Details",
// "keine Informationen dazu, ob X", "ob X, kann ich leider nicht sagen".
const LACKS_SUBJECT_GERMAN = new RegExp(
  [
    String.raw`${LETTER_START}(?:zur|zum|zu|über|bezüglich|hinsichtlich) ([^,;:(.!?]+?) (?:liegen|liegt|habe|hab|haben|finde|sehe) (?:mir |uns |ich |wir )?(?:\p{L}+ ){0,2}(?:keine|nichts)${LETTER_END}`,
    String.raw`${LETTER_START}(?:zur|zum|zu|über|bezüglich) ([^,;:(.!?]+?) keine (?:\p{L}+ )?(?:informationen|infos|details|angaben|daten)${LETTER_END}`,
    String.raw`${LETTER_START}keine (?:\p{L}+ )?(?:informationen|infos|details|angaben|daten)(?: \p{L}+){0,2}(?: vor)?,? (?:zu|zur|zum|über|bezüglich|ob) ([^,;:(.!?]+)`,
    String.raw`^(?:\p{L}+ )?ob ([^,;:(.!?]+), (?:kann|weiß|ist|vermag) (?:ich|mir)${LETTER_END}`,
  ].join('|'),
  'iu',
);
// Portuguese: "não tenho informações sobre X", "não sei te dizer se X", "não consigo confirmar se X".
const LACKS_SUBJECT_PORTUGUESE = new RegExp(
  [
    String.raw`${LETTER_START}n[aã]o (?:tenho|temos|possuo|disponho de|dispomos de|encontrei|encontramos|achei) (?:nenhuma |a |as |mais |essa |esta )?(?:informa[cç](?:[aã]o|[oõ]es)|infos?|dados|detalhes)(?: \p{L}+){0,2}? (?:sobre|a respeito d[eoa]s?|acerca d[eoa]s?|quanto a|quanto ao|quanto à|referentes? a|d[eoa]s?|se) ([^,;:(.!?]+)`,
    String.raw`${LETTER_START}n[aã]o (?:sei|saberia|sabemos|consigo|posso|conseguimos) (?:te |lhe )?(?:dizer|informar|confirmar|responder|garantir)(?: com certeza| ao certo| exatamente)? (?:se|sobre|quando|quanto|como|qual|quais) ([^,;:(.!?]+)`,
    String.raw`${LETTER_START}n[aã]o sei (?:se|quando|quanto|como|qual|quais) ([^,;:(.!?]+)`,
  ].join('|'),
  'iu',
);
// A subject that only points back ("that one", "this") names nothing.
const POINTING =
  /^(?:that|this|it|those|these|them|there|eso|esto|ello|[cç]a|cela|ceci|isso|isto|disso|disto)(?!\p{L})/u;
// Where a subject stops: filler after it ("in front of me", "I'm afraid", "right now").
const SUBJECT_END =
  /\b(?:sorry|in front of me|im afraid|i am afraid|right now|at the moment|at this time|unfortunately|though|so i|but|to our team|to the team|for you)\b.*$|(?<!\p{L})(?:as[ií] que|por lo que|pero|lo siento|por desgracia|ahora mismo|en este momento|mais|donc|d[eé]sol[eé]e?|malheureusement|pour le moment|mas|por[eé]m|infelizmente|no momento|neste momento|nesse momento|por enquanto|desculp\p{L}*|sinto muito|aqui no sistema|aqui comigo)(?!\p{L}).*$/u;
// A clause of its own after the subject: "which lot numbers we're sending out" lacks lot numbers.
const SUBJECT_CLAUSE =
  /(?<=\w) (?:we|were|weve|i|im|ive|you|youre|they|theyre|it|its|he|she|our team|the team|the store) (?:\w+ )*\w+$/;

/**
 * The subject of the agent's "I don't have information on X": what the knowledge lacked, in the
 * agent's words (at most twelve words, filler cut). Null when no sentence says what it lacked.
 */
export function admittedSubject(text: string): string | null {
  for (const sentence of sentences(text)) {
    const match =
      LACKS_SUBJECT.exec(spacedWords(sentence).trimEnd()) ??
      LACKS_SUBJECT_ELSEWHERE.exec(withoutApostrophes(squash(sentence))) ??
      LACKS_SUBJECT_GERMAN.exec(withoutApostrophes(squash(sentence))) ??
      LACKS_SUBJECT_PORTUGUESE.exec(withoutApostrophes(squash(sentence)));
    const raw = (match?.slice(1).find((g) => g !== undefined) ?? '')
      .replace(SUBJECT_END, '')
      .trim()
      .replace(SUBJECT_CLAUSE, '');
    if (raw === '' || POINTING.test(raw)) continue;
    return raw.split(' ').slice(0, 12).join(' ');
  }
  return null;
}

const ASKS_FOR_DETAILS =
  /\b(?:could|can|would) you (?:please )?(?:share|provide|send|tell me|give me|confirm|clarify|double check|check|let me know)\b|\bwhat(?:s| is) your\b|\bwhich (?:one|\w+) do you mean\b/;

/** Asking without a question mark: "please reply with your model and the service you want". */
const REQUESTS_DETAILS =
  /\b(?:please|pls|kindly|just) (?:reply|respond|send|provide|share|confirm|tell (?:me|us)|give (?:me|us)|include|let (?:me|us) know|(?:text|email|message) (?:me|us))\b|\b(?:i|ill|i will|we|well|we will) (?:just )?(?:need|require) (?:your|the)\b/;

/** The agent asks the shopper for something: a question, or a request for details. */
export function agentAsks(text: string): boolean {
  return text.includes('?') || test(ASKS_FOR_DETAILS, text) || test(REQUESTS_DETAILS, text);
}

/**
 * A text's sentences. A Spanish "¿" or "¡" starts one: in "no tengo ese dato; ¿quieres que te
 * pase con alguien?" the first part is a statement, not a question.
 */
function sentences(text: string): string[] {
  return text.match(/[¿¡]?[^.!?¿¡\n]+(?:[.!?]+|\n+|$|(?=[¿¡]))/g) ?? [text];
}

const SYSTEM_NOUN =
  '(?:system|systems|tool|lookup|look up|service|server|database|portal|tracker|integration)';
const TOOL_ERROR = new RegExp(
  [
    '\\bsomething went wrong\\b',
    `\\b${SYSTEM_NOUN} (?:is|are|was|were|seems|seem|appears|keeps)? ?(?:down|unavailable|offline|(?:not|isnt|arent|wasnt|didnt|did not|does not|doesnt) (?:working|responding|respond|returning|return|loading|load|available|answering|answer|connecting))\\b`,
    `\\b${SYSTEM_NOUN} (?:timed out|returned an error|gave an error|threw an error|errored|failed|is failing|crashed)\\b`,
    // "The lookup timed out", not "set a lighting timeout".
    '\\b(?:timed out|timing out|times out|(?:hit|got|had|returned|gave|threw|with) (?:a |an )?time ?out|time ?out error)\\b',
    '\\b(?:technical|system|connection) (?:issue|issues|problem|problems|difficulties|error|glitch)\\b',
    '\\b(?:an|encountered an|ran into an|got an|returned an) error\\b',
    '\\b(?:came back|returned|responded|failed) with (?:an? )?(?:\\w+ )?error\\b',
    `\\b(?:cant|cannot|can not|couldnt|could not|unable to|not able to|wasnt able to|was unable to|am unable to|im unable to) (?:reach|connect to|access|load|get through to) (?:our|the|my) (?:\\w+ )?${SYSTEM_NOUN}\\b`,
    // Within a few words: "I can't see live conditions from here … doing right now" is a limit.
    '\\b(?:cant|cannot|can not|couldnt|could not|unable to|not able to|wasnt able to|was unable to) (?:look|check|access|load|reach|retrieve|pull up|get|see|find)\\b(?: \\w+){0,8} (?:right now|just now|at the moment|currently|try again|in time|at this time)\\b',
    `\\bhaving (?:some )?(?:trouble|issues|problems|difficulty) (?:accessing|connecting|loading|looking|reaching|retrieving|with (?:our|the) ${SYSTEM_NOUN})\\b`,
    '\\bplease try again (?:later|in a (?:little |few |bit|while|moment))',
  ].join('|'),
);

/** The same said in Spanish and French: "el sistema de pedidos no responde", "erreur interne". */
const TOOL_ERROR_ELSEWHERE = wholeWords(
  /(?:sistema|servidor|herramienta|plataforma|conexi[oó]n|syst[eè]me|serveur|outil|plateforme|connexion)(?: de \p{L}+)? (?:no (?:responde|respond[ií]a|est[aá] disponible)|(?:est[aá]|est) (?:ca[ií]d[oa]|en panne|indisponible|hors service|hors ligne)|ne (?:r[eé]pond|fonctionne|charge) pas|(?:ha |a )?(?:devuelto|devolvi[oó]|dado|dio|da|renvoy[eé]|retourn[eé]) (?:un )?(?:error|erreur)|(?:ha )?fallado)|tiempo de espera (?:agotado|excedido)|d[eé]lai d attente (?:d[eé]pass[eé]|expir[eé])|(?:error|erreur) (?:interno|interne|t[eé]cnico|technique|de conexi[oó]n|de connexion|del servidor|du serveur|50[0-4])|(?:tenemos|hay|estamos teniendo|rencontrons|avons|il y a) (?:un |una |une |unos |des )?(?:problema|fallo|incidencia|probl[eè]me|souci|incident|panne)s? (?:t[eé]cnic[oa]s?|techniques?|informatiques?|inform[aá]tic[oa]s?)|no (?:he podido|hemos podido|pude|puedo|consigo|logro) (?:obtener|consultar|acceder|cargar|conectar|recuperar)\p{L}*(?: \p{L}+){0,6} (?:ahora|ahora mismo|en este momento|sistema|datos)|je n arrive pas [aà] (?:acc[eé]der|consulter|charger|r[eé]cup[eé]rer)|(?:int[eé]ntalo|int[eé]ntelo|prueba|pruebe|vuelve a intentarlo|r[eé]essay(?:ez|er)) (?:de nuevo |otra vez |nuevo )?(?:m[aá]s tarde|en unos minutos|en un rato|plus tard|dans quelques minutes)/u,
);

/**
 * The same in German: "die Sendungsverfolgung ist nicht erreichbar", "die Abfrage läuft in eine
 * Zeitüberschreitung", "ein technisches Problem", "kann ich gerade nicht abrufen", "versuch es
 * später noch einmal".
 */
const TOOL_ERROR_GERMAN = wholeWords(
  /\p{L}*(?:system|verfolgung|tracking|abfrage|server|verbindung|kalender|schnittstelle|datenbank|portal|tool)\p{L}*(?: \p{L}+){0,4} (?:nicht erreichbar|(?:antwortet|reagiert|l[aä]dt|funktioniert|l[aä]uft)(?: \p{L}+){0,4} nicht|gest[oö]rt|ausgefallen)|zeit[uü]berschreitung|technische(?:s|n)? (?:problem|probleme|st[oö]rung|fehler|schwierigkeiten)|fehlermeldung|(?:ein|einen) fehler (?:\p{L}+ ){0,2}(?:aufgetreten|zur[uü]ckgegeben|gemeldet|geliefert)|(?:kann|konnte|k[oö]nnen) (?:ich|wir) (?:\p{L}+ ){0,5}(?:gerade|momentan|derzeit|im moment|aktuell|leider) (?:\p{L}+ ){0,3}nicht (?:abrufen|aufrufen|einsehen|laden|pr[uü]fen|nachsehen|nachschauen|erreichen)|versuch(?:e|en sie|t|s)? es (?:bitte )?(?:\p{L}+ ){0,3}(?:sp[aä]ter|in (?:ein paar|einigen|wenigen) (?:minuten|stunden)) (?:noch ?(?:ein)?mal|erneut)|keine antwort vom (?:\p{L}+)?system/u,
);

/**
 * The same in Portuguese: "o sistema de rastreio está fora do ar", "a consulta não respondeu",
 * "tive um problema pra consultar", "erro ao acessar", "não consegui acessar o rastreio agora",
 * "instabilidade", "tenta de novo mais tarde".
 */
const TOOL_ERROR_PORTUGUESE = wholeWords(
  new RegExp(
    [
      String.raw`(?:sistema|rastreio|rastreamento|consulta|servidor|site|plataforma|ferramenta|conex[aã]o|integra[cç][aã]o|api|aplicativo)(?: d[eoa]s? \p{L}+)?(?: \p{L}+){0,3} (?:fora do ar|indispon[ií]vel|inst[aá]vel|inoperante|caiu|travou|(?:ainda |segue |continua )?(?:n[aã]o|sem) (?:est[aá] |esta |t[aá] |ta )?(?:respondendo|responder|responde|respondeu|carrega|carregou|carregando|funciona|funcionou|funcionando|abre|abriu|retornou|retorna)|(?:com|apresentando|apresentou) (?:um |uma |algum |alguma )?(?:problema|erro|instabilidade|falha)s?)`,
      String.raw`(?:estamos|estou|est[aá]|t[aá]|estão|houve|teve|tivemos|passando por|enfrentando|com) (?:uma |alguma |algumas )?instabilidades?|fora do ar|erro (?:ao|na hora de|para|pra) (?:consultar|acessar|carregar|buscar|puxar|verificar|abrir)|erro (?:t[eé]cnico|interno|no sistema|de conex[aã]o|de sistema|do servidor|50[0-4])|(?:um|uns|algum|alguns|com|tivemos|houve) problemas? t[eé]cnicos?|falha (?:t[eé]cnica|no sistema|de conex[aã]o|na consulta)`,
      String.raw`(?:deu|ocorreu|houve|tive|tivemos|estou tendo|estamos tendo|apareceu|aconteceu) (?:um |uma |algum |alguma )?(?:probleminha|problema|erro|errinho|falha|instabilidade)s?(?: t[eé]cnic[oa]s?)? (?:ao|pra|para|na hora de|no momento de) (?:consultar|acessar|carregar|puxar|ver|verificar|buscar|abrir|checar)`,
      String.raw`n[aã]o (?:consegui|conseguimos|consigo|estou conseguindo|to conseguindo|t[oô] conseguindo) (?:consultar|acessar|carregar|puxar|verificar|ver|buscar|abrir|checar)(?: \p{L}+){0,6} (?:agora|no momento|neste momento|nesse momento|agorinha|por enquanto|sistema)`,
      String.raw`(?:tenta|tente|tentar|tentem|pode tentar) (?:de novo |novamente |outra vez |mais uma vez )?(?:mais tarde|daqui a pouco|daqui a pouquinho|em alguns minutos|em instantes|daqui uns minutos)`,
    ].join('|'),
    'u',
  ),
);

/**
 * What a tool's empty or unfilled answer looks like once the agent repeats it: zeroed dates and
 * times ("Sunday 00/00, 00:00 to 00:00"), template slots ("{{delivery_date}}"), a serialized
 * object or a missing number ("[object Object]", "NaN").
 */
const BROKEN_DATA = new RegExp(
  [
    String.raw`(?<![\d/])00\/00(?![\d/])|\b00\/00\/0{2,4}\b|\b0000-00-00\b`,
    String.raw`\{\{\s*[\w.]+\s*\}\}|\[object Object\]|(?<![\w.])NaN(?!\w)|:\s*(?:null|undefined)\b`,
    // A value printed as null: "status null, carrier null", "with null spots", "instructor undefined".
    String.raw`(?<![\w-])(?:null|undefined)(?![\w-])(?! and void)`,
    // A date no calendar has: "2026-13-45" (and see IMPOSSIBLE_DAY).
    String.raw`\b\d{4}-(?:1[3-9]|[2-9]\d)-\d{2}\b|\b\d{4}-\d{2}-(?:3[2-9]|[4-9]\d)\b`,
    // An hour no clock has, after a day or "at": "Saturday 5 December, 25:00", "à 27h00".
    String.raw`(?:\bat|@|,|\bfrom|à|\ba las|\bd[eè]s) (?:2[4-9]|[3-9]\d)[:h][0-5]\d\b`,
    // A count below zero: "Spots left: -3", "-2 seats".
    String.raw`\b(?:left|remaining|available|spots?|places?|seats?|stock|qty|quantity|restantes?|disponibles?|lugares)(?:\s*:?|(?: \w+){1,4}\s*:)\s*-\d+\b|(?<![\w-])-\d+ (?:spots?|places?|seats?|left|items?|units?|in stock|lugares|plazas)\b`,
  ].join('|'),
  'u',
);
/** A day no month has, in lower case: "31 nov", "30 de febrero", "february 30". */
const SHORT_MONTHS = {
  february: String.raw`feb\.?|febr\.?|february|f[eé]v\.?|f[eé]vr\.?|f[eé]vrier|febrero`,
  thirty: String.raw`apr\.?|april|abr\.?|abril|avr\.?|avril|jun\.?|june|juin|junio|sept?\.?|september|septembre|septiembre|nov\.?|november|novembre|noviembre`,
};
const IMPOSSIBLE_DAY = new RegExp(
  String.raw`(?<![\d.,])(?:3[01](?: de)? (?:${SHORT_MONTHS.february})|31(?: de)? (?:${SHORT_MONTHS.thirty}))(?!\p{L})|(?<!\p{L})(?:(?:${SHORT_MONTHS.february}) 3[01]|(?:${SHORT_MONTHS.thirty}) 31)(?!\d)`,
  'u',
);

/** An unfilled value inside a link or file name: ".../sds/undefined_EN.pdf", "?id=null". */
const UNFILLED_IN_LINK = /\S*[/_=-](?:undefined|null|NaN)(?:[_.&/-]\S*|\b)/;

/**
 * The shopper says what the agent's link or document gave them is broken or a placeholder:
 * "that link gives me a 404", "the PDF says TEST PRODUCT - DO NOT USE", "lorem ipsum".
 */
const BROKEN_DELIVERABLE = new RegExp(
  [
    String.raw`\b(?:link|url|file|pdf|document|attachment|download|page) (?:\w+ ){0,3}(?:is broken|broken|doesnt work|does not work|didnt work|did not work|isnt working|is not working|wont open|will not open|gives (?:me )?(?:an? )?(?:404|error|blank page)|leads nowhere|is empty|is blank)\b`,
    String.raw`\b404\b|\bnot found (?:page|error)\b|\bpage not found\b|\blorem ipsum\b|\btest (?:product|document|file|page) do not use\b|\b(?:placeholder|dummy) (?:document|file|pdf|text|page)\b`,
  ].join('|'),
);

export function reportsBrokenDeliverable(text: string): boolean {
  return test(BROKEN_DELIVERABLE, text);
}

/** A time window that ends where it starts: "12:00am-12:00am", "9:00 to 9:00". */
const EMPTY_RANGE = /\b(\d{1,2}:\d{2}\s?(?:[ap]\.?m\.?)?)\s?(?:-|–|to)\s?\1(?!\d)/i;

/** A date of zero, the Unix epoch: what a missing timestamp prints as ("01/01/1970"). */
const EPOCH_DATE =
  /\b(?:0?1[/.-]0?1[/.-]1970|1970-01-01|(?:jan|january) 1,? 1970|1 (?:jan|january) 1970)\b/i;

/**
 * The agent reports an error, an outage or a lookup it cannot do right now, or repeats a tool's
 * unfilled answer.
 */
export function agentReportsError(text: string): boolean {
  return (
    test([TOOL_ERROR, TOOL_ERROR_ELSEWHERE, TOOL_ERROR_GERMAN, TOOL_ERROR_PORTUGUESE], text) ||
    repeatsBrokenData(text)
  );
}

/** The agent repeats a tool's unfilled or impossible answer: surer than an error it describes. */
export function repeatsBrokenData(text: string): boolean {
  return (
    BROKEN_DATA.test(text) ||
    IMPOSSIBLE_DAY.test(text.toLowerCase()) ||
    EPOCH_DATE.test(text) ||
    EMPTY_RANGE.test(text) ||
    UNFILLED_IN_LINK.test(text)
  );
}

const TONE_STRONG =
  /\b(?:rude|curt|blunt|snippy|snarky|dismissive|condescending|patronizing|patronising|sarcastic|unfriendly|impolite|robotic|like a robot|like a bot|attitude|short with me|(?<!\b(?:hoped for|hoping for|want|wanted|need|needed|prefer|like|just) an? )short (?:answer|reply|response)|no need to be|your tone|(?:sending|using|send|use|with) (?:me )?(?:emojis?|emoticons|smileys?)|emojis? (?:right now|really|seriously|at a time like this)|(?:dont|do not|stop|quit) (?:try(?:ing)? to )?(?:sell|upsell|push|selling|pushing|advertising) (?:me|things|stuff|products|more)|not the (?:time|moment) (?:to sell|for (?:a |an )?(?:sales pitch|upsell|ads?))|(?:youre|you are|doing|giving me|trying) (?:\w+ )?(?:a )?(?:sales pitch|upsell))\b/;
/** The reply was too long to read: "TOO LONG. I CANT READ ALL THAT ON MY PHONE". */
const TOO_LONG =
  /^ (?:way |much |far )?too long\b|\b(?:reply|answer|message|response|text|email) (?:is |was )?(?:way |much |far )?too long\b|\b(?:cant|cannot|can not|not going to|wont|not gonna) read all (?:of )?(?:that|this)\b|\btl ?dr\b/;
const TONE_WEAK = /\b(?:not (?:very |really )?helpful|unhelpful|wow ok|wow okay)\b/;

/**
 * A complaint about how the agent answered: `strong` names the tone ("rude", "curt", "robotic"),
 * `weak` only says it was not enough ("not helpful", "that's it?").
 */
/**
 * The same in French and Spanish: "no me hables de descuentos", "ce n'est pas le moment de me
 * vendre", "sin emojis por favor", "quel ton".
 */
const TONE_STRONG_ELSEWHERE = wholeWords(
  /no me (?:hables|hable|ofrezcas|ofrezca|vendas|venda|mandes|mande) (?:de )?(?:descuentos?|promociones?|ofertas?|productos?|nada)|no (?:quiero|necesito) (?:tus |sus )?(?:descuentos?|promociones?|ofertas?)|no es (?:el )?momento (?:de|para)|no estoy (?:para|de humor para) (?:emojis?|caritas|ofertas?|bromas|promociones?)|(?:contestas|respondes|contesta|responde) con (?:\p{L}+ ){0,4}(?:caritas|emojis?|emoticon[eo]s?)|(?:sin|deja los|basta de|con tantos) (?:emojis?|caritas|emoticones?)|qu[eé] (?:grosero|grosera|cortante|fr[ií]o|fr[ií]a)|(?:grosero|grosera|cortante) (?:eres|es|fue)|(?:eres|fuiste) (?:muy )?(?:fr[ií]o|fr[ií]a)|ne me (?:parlez|parle|proposez|propose|vendez|vends) (?:pas )?(?:de |des )?(?:promos?|r[ée]ductions?|remises?|produits?|rien)|(?:ce n est|c est) pas le moment (?:de|pour)|(?:arr[eê]tez|arr[eê]te) (?:de me vendre|avec (?:vos|tes) (?:[ée]mojis?|promos?))|(?:sans|vos|tes) (?:[ée]mojis?|smileys?)|quel ton|(?:r[ée]ponse|ton|message) (?:est |[ée]tait )?(?:tr[eè]s |un peu |bien )?(?:s[eè]che|sec|froide?|d[ée]sagr[ée]able)|(?:vous [eê]tes|tu es) (?:tr[eè]s |un peu |bien )?(?:s[eè]che?|froide?|d[ée]sagr[ée]able)/u,
);

/**
 * The same in German: "das war taktlos", "unpassend", "ohne Emojis bitte", "und dann wollen Sie mir
 * noch etwas verkaufen?".
 */
const TONE_STRONG_GERMAN = wholeWords(
  /unpassend|taktlos|respektlos|piet[aä]tlos|geschmacklos|unangebracht|unsensibel|herablassend|(?:ohne|keine|lass die|spar dir die|spart euch die) (?:\p{L}+ )?(?:emojis|smileys)|(?:du willst|willst du|sie wollen|wollen sie|ihr wollt) mir (?:\p{L}+ ){0,5}verkaufen|(?:jetzt|gerade) (?:\p{L}+ ){0,2}(?:nicht der|kein) (?:richtige )?(?:moment|zeitpunkt)/u,
);

/**
 * The same in Portuguese: "sem carinha por favor", "parem com esses emojis", "vc acha
 * engraçado?", "não tem graça", "que resposta seca", "não é hora de me vender nada".
 */
const TONE_STRONG_PORTUGUESE = wholeWords(
  /(?:sem|para com|pare com|parem com|chega de|menos|tira|tirem) (?:esses |essas |os |as |tanto |tantos |tantas )?(?:emojis?|emoticons?|carinhas?|figurinhas?|smiles?)|(?:acha|achou|acham|achando) (?:isso )?(?:engra[cç]ado|gra[cç]a)|n[aã]o tem gra[cç]a|(?:que|q|t[aã]o|muito) (?:grosseir[oa]|seco|seca|frio|fria|rob[oô]tic[oa])|(?:resposta|mensagem|atendimento) (?:\p{L}+ )?(?:seca|grossa|fria|rob[oô]tica|grosseira)|n[aã]o (?:[eé]|eh) (?:hora|momento) (?:de|pra|para)|(?:para|pare|parem) de (?:me )?(?:vender|oferecer|empurrar)/u,
);

export function toneComplaint(text: string): 'strong' | 'weak' | null {
  if (
    test(
      [TONE_STRONG, TONE_STRONG_ELSEWHERE, TONE_STRONG_GERMAN, TONE_STRONG_PORTUGUESE, TOO_LONG],
      text,
    )
  ) {
    return 'strong';
  }
  // "Oh wow, ok. That's actually great, thank you." is surprise, not disappointment.
  if (!thanks(text) && (test(TONE_WEAK, text) || /\bthat'?s it\s*\?/i.test(text))) return 'weak';
  return null;
}

const NOT_ANSWERED =
  /\b(?:(?:doesnt|does not|didnt|did not) (?:really |quite |actually )?(?:answer|help|address)|(?:not|isnt|wasnt) (?:really |quite |exactly |at all )?what i (?:asked|meant|wanted|was asking)|(?:you|that) (?:didnt|did not|dont) answer|not my question|wrong (?:answer|thing|info)|you (?:dont|do not|didnt|did not) understand|you (?:misunderstood|misunderstand)|(?:not|no) the point|(?:missing|missed|miss) (?:the|my) point|(?:thats|that is) what (?:im|i am|i was) asking)\b|^ i (?:asked|was asking|am asking|m asking) (?:you )?(?:about|for|if|whether) (?:\w+ ){0,5}$/;

/**
 * The shopper presses for the answer they did not get: "yes or no?", "a straight answer", "but will
 * it make this box or not".
 */
const PRESSES_FOR_ANSWER =
  /\b(?:yes or no|(?:give|get|want|need|just) (?:me )?(?:a )?(?:straight|direct|simple|clear) answer|but (?:will|does|is|can|would|do|did|am|are|should)\b[^.?!]{0,50}\bor not)\b/;

/** The shopper presses for an answer the reply left out. */
export function pressesForAnswer(text: string): boolean {
  return test(PRESSES_FOR_ANSWER, text);
}

/**
 * The same in French and Spanish: "ce n'est pas ma question", "je n'ai jamais parlé de…", "oui ou
 * non ?", "no es lo que pregunté", "yo no pregunté por eso", "sí o no".
 */
const NOT_ANSWERED_ELSEWHERE = wholeWords(
  /(?:ce n est|c est) pas (?:ma question|ce que (?:j ai|je) demand\p{L}*)|je n ai (?:jamais|pas) (?:parl[eé]|demand[eé]) (?:de|d|du|des)|je ne (?:parle|demande) pas (?:de|d|du|des)|(?:vous n avez|tu n as) pas (?:compris|r[eé]pondu)|vous ne r[eé]pondez pas|oui ou non|no es (?:lo que (?:pregunt[eé]|ped[ií])|mi pregunta)|(?:yo )?no (?:te |le )?(?:pregunt[eé]|habl[eé]) (?:de|por|sobre) (?:eso|esto|\p{L}+)|no (?:me )?(?:entendiste|entendi[oó]|respondiste|contest[oó]|contestaste|respondi[oó])|s[ií] o no/u,
);

/**
 * The same in German: "das war nicht meine Frage", "danach habe ich nicht gefragt", "Sie haben
 * mich falsch verstanden", "ja oder nein?".
 */
const NOT_ANSWERED_GERMAN = wholeWords(
  /das (?:war|ist) (?:doch )?nicht meine frage|(?:das|danach) (?:habe|hab) ich (?:doch )?(?:gar )?nicht gefragt|(?:beantwortet|beantworten) (?:\p{L}+ ){0,2}(?:meine frage )?nicht|(?:sie haben|du hast|ihr habt) (?:mich|meine frage) (?:\p{L}+ )?(?:nicht|falsch) verstanden|an (?:meiner|der) frage vorbei|ja oder nein/u,
);

/**
 * The same in Portuguese: "não foi isso que perguntei", "não perguntei isso", "vc não leu",
 * "isso não é resposta", "sim ou não?".
 */
const NOT_ANSWERED_PORTUGUESE = wholeWords(
  /n[aã]o (?:foi|[eé]|eh|era) (?:isso|isto|bem isso|essa|esta|nada disso) (?:que |o que |oq |q )?(?:eu )?(?:perguntei|pedi|quis saber|queria saber|perguntando|falei)|n[aã]o (?:[eé]|eh|foi|era) (?:a )?minha pergunta|(?:eu )?n[aã]o (?:te |lhe )?perguntei (?:isso|isto|sobre|de|nada|por)|voc[eê]s? n[aã]o (?:leu|leram|l[eê]|entendeu|entenderam|respondeu|responderam)|n[aã]o (?:respondeu|responderam|responde) (?:a |minha |a minha )?pergunta|isso n[aã]o (?:[eé]|eh) (?:uma )?resposta|sim ou n[aã]o/u,
);

/** The shopper says the reply missed their question, or presses for the answer it left out. */
export function saysNotAnswered(text: string): boolean {
  return (
    test(
      [NOT_ANSWERED, NOT_ANSWERED_ELSEWHERE, NOT_ANSWERED_GERMAN, NOT_ANSWERED_PORTUGUESE],
      text,
    ) || pressesForAnswer(text)
  );
}

const SOURCE =
  '(?:site|website|web site|newsletter|bulletin|brochure|flyer|leaflet|announcement|email|checkout|check out|cart|basket|order summary|invoice|receipt|page|product page|listing|app|label|ad|advert|catalog|catalogue|confirmation|faq|terms|policy page|message|notice|notification|note|text|sign|sign on the door|poster|sticker|google listing|google maps|maps listing)';

/**
 * The shopper holds up something that says otherwise: what the site, an email or the checkout
 * shows, what they were told before, or that the two disagree.
 */
const CONTRADICTS = new RegExp(
  [
    String.raw`\b(?:(?:the|your|my|this|that|an?) )?${SOURCE}(?: (?:you|we) (?:sent|emailed|texted|gave me)| from (?:you|you guys|your (?:team|store|shop)))? (?:literally |clearly |definitely |actually |plainly |also |still |now |itself )?(?:says|said|say|shows|showed|show|lists|listed|states|stated|mentions|mentioned|offers|offered)\b`,
    // "Checkout agrees with the newsletter, not you."
    String.raw`\b(?:agrees|agree|matches|match) with (?:the|your|my) ${SOURCE},? not (?:you|yours|what you said)\b`,
    // "You have old information maybe".
    String.raw`\byou (?:have|got|are using|use) (?:old|outdated|wrong|out of date|stale) (?:info|information|prices?|details|data)\b`,
    String.raw`\b(?:you|your colleague|your team|the bot|the chat|your (?:chat|bot|agent|assistant)) (?:told|said|promised|confirmed)(?: me| us)? (?:it|they|that|this|we|i|last)\b`,
    String.raw`\bit (?:literally|clearly|still|actually) (?:says|said|shows|showed)\b|\b(?:its|it is|it s) on (?:my|the) (?:receipt|invoice|statement|bank statement|bill)\b`,
    String.raw`\byour (?:information|info|answer|website|site|chat) (?:is|was) (?:wrong|incorrect|outdated|out of date|not right)\b|\b(?:not sure|doubt|dont think) (?:that )?(?:you are|youre|you re|that is|thats|this is) (?:right|correct)\b`,
    String.raw`\b(?:says|said|say|told me|tells me) (?:that )?you (?:do|now|ship|deliver|offer|sell|have|accept|take|can)\b`,
    // "I got an email saying…", "I receive email just now, it say…".
    String.raw`\b(?:there was|i saw|i got|i get|i read|i had|we got|i receive|i received|we received) (?:an? |the |your |this )?${SOURCE}\b[^.?!]{0,24}\b(?:about|saying|say|says|said)\b`,
    String.raw`\b(?:my|a|her|his|our) (?:friend|sister|brother|mum|mom|mother|dad|father|neighbou?r|colleague|daughter|son|cousin) (?:\w+ ){0,3}(?:received|got|ordered|bought) (?:\w+ ){0,2}from you\b`,
    String.raw`\b(?:say|says|said|saying) (?:different|opposite|otherwise|something else)\b|\bcontradict\w*\b|\bwhich (?:one |information |info |version |date |number |price |of (?:these|them|the two) )?is (?:right|correct|true)\b|\b(?:there|here) (?:is|was) written\b|\bis the (?:\w+ )?(?:paper|notice|sign|page|website|site|email|label|sticker|poster|post|leaflet|flyer|manual) wrong\b`,
    // "In the cart it shows €5.90", "at the pay page it write 8.95", "you might want to update
    // your info", "might want to get that fixed".
    String.raw`\b(?:in|on|at) (?:the|my|your) (?:\w+ )?${SOURCE} (?:it )?(?:says|said|shows|showed|lists|listed|wants|charges|charged|write|writes|wrote)\b`,
    String.raw`\b(?:might|may|should|need to|could) (?:want to )?(?:update|fix|correct|check) (?:your|the) (?:info|information|website|site|faq|page|listing)\b|\bupdate your (?:info|information|website|site|faq)\b|\b(?:might|may) want to get (?:that|this|it) (?:fixed|updated|corrected)\b`,
    String.raw`\b(?:is|was) (?:that|this|it) (?:a mistake|an error|outdated|out of date)\b|\bmaybe (?:it is|its|that is|thats) (?:a mistake|wrong|an error|outdated|old)\b`,
    // Another figure from the shop's people or the chat itself: "they charged me 25", "the lady
    // at the desk says $65", "ur bot said 15".
    String.raw`\bthe (?:shop|store|staff|guy|girl|lady|man|woman|counter|cashier|tech|technician|clerk|desk|till)(?: \w+){0,4} (?:say|says|said|told me|charged(?: me| us)?|asked (?:me |us )?for|quoted)\b[^.?!]{0,30}\d|\bthey (?:charged(?: me| us)?|asked (?:me |us )?for|quoted)\b[^.?!]{0,30}\d|\bthey (?:say|says|said) (?:its |it s |it is )?\d+(?: \d+)? (?:total|each|dollars?|euros?|pounds?|bucks|for)\b|\b(?:ur|your|the) (?:bot|chat|chatbot|assistant) (?:said|says|say|told me|quoted)\b[^.?!]{0,20}\d`,
  ].join('|'),
);

/** The shopper says something they saw or were told contradicts the answer. */
/**
 * The same in French and Spanish: "sur Google c'est marqué Saint-Gilles", "votre info est plus à
 * jour", "la página dice 15 días", "mi vecina les compra cada mes".
 */
const CONTRADICTS_ELSEWHERE = wholeWords(
  /(?:(?:le|votre|ton|la|sur (?:le|la|votre)) (?:site|page|newsletter|mail|e ?mail|courriel|facture|panier|appli|affiche)|google|google maps|insta|instagram|facebook) (?:\p{L}+ ){0,3}(?:dit|disait|indique|affiche|montre|marqu[ée])|c ?est (?:marqu[ée]|[ée]crit|indiqu[ée]) (?:sur|dans)|(?:votre|ton) (?:info|information)s? (?:est|n ?est) (?:plus|pas) [àa] jour|(?:la|tu|su) (?:p[aá]gina|web|sitio|correo|factura|newsletter|app) (?:\p{L}+ ){0,3}(?:dice|dec[ií]a|pone|pon[ií]a|indica|muestra)|(?:dice|pone) en (?:la|el|su|tu) (?:p[aá]gina|web|sitio|correo|factura)|(?:vi|le[ií]|vimos) en (?:su|tu|el|la|sus) (?:insta|instagram|facebook|p[aá]gina|web|sitio|correo|newsletter|publicaci[oó]n|post|anuncio|cuenta) (?:\p{L}+ ){0,3}que|j ai (?:vu|lu) sur (?:votre|ton|leur|le|la) (?:insta|instagram|facebook|site|page|newsletter|compte) (?:\p{L}+ ){0,3}que|(?:el|la|su|tu) (?:post|publicaci[oó]n|anuncio|gu[ií]a|comprobante) (?:\p{L}+ ){0,2}(?:dice|dec[ií]a|pone|pon[ií]a|est[aá] mal)|(?:la |el |le |la )?(?:transportadora|paqueter[ií]a|mensajer[ií]a|courier|banco|aduana|dhl|fedex|ups|estafeta|transporteur|banque|douane|la poste) (?:me|nous|m a|nous a) (?:dijo|dijeron|indica|indican|indic[oó]|indicaron|inform[oó]|informaron|confirm[oó]|confirmaron|dit|indiqu[ée]|confirm[ée])|lo que me (?:dijeron|dijo|aseguraron|asegur[oó]) no (?:corresponde|coincide|es cierto)/u,
);

/** Where a Brazilian shopper saw something: the site, the Instagram, an ad, the checkout. */
const PT_SOURCE = String.raw`(?:site|p[aá]gina|an[uú]ncio|insta|instagram|face|facebook|tiktok|story|stories|post|propaganda|checkout|carrinho|app|aplicativo|e ?mail|email|whats|whatsapp|cat[aá]logo|descri[cç][aã]o|vitrine)`;

/**
 * The same in Portuguese: "no site diz 6x", "no Instagram de vcs tá 10% off", "no checkout só
 * aparece 3x", "vi no anúncio que…", "a atendente me disse que…", "igual vc falou pra minha
 * amiga", "anunciam uma coisa e cobram outra".
 */
const CONTRADICTS_PORTUGUESE = wholeWords(
  new RegExp(
    [
      // The store's own site or post, not "o site dos Correios"; what it says, not what it lacks.
      String.raw`(?:o|a|no|na|seu|sua|do|da) ${PT_SOURCE}(?! d[oa]s? (?!loja)\p{L}+)(?: de voc[eê]s| da loja)? (?:(?!n[aã]o )\p{L}+ ){0,3}(?:diz|dizia|fala|falava|mostra|mostrava|aparece|aparecia|escrito|informa|informava|consta|constava|anuncia|anunciava|dizendo|(?:t[aá]|est[aá]|estava|tava|s[oó] aparece) (?:\p{L}+ )?\p{N})`,
      String.raw`(?:vi|li|vimos) (?:no|na|em|nos|nas|num|numa) ${PT_SOURCE}(?: \p{L}+){0,5} (?:que|q)`,
      String.raw`(?:voc[eê]s?|a atendente|o atendente|a loja|a mo[cç]a|o rapaz|a vendedora|o vendedor|o chat|o bot) (?:me |nos )?(?:disse|disseram|falou|falaram|prometeu|prometeram|confirmou|confirmaram|informou|informaram) (?:\p{L}+ ){0,2}(?:que|q)|(?:igual|como) voc[eê]s? (?:falou|falaram|disse|disseram)`,
      String.raw`(?:anunciando|anunciam|anuncia) (?:\p{L}+ ){0,3}(?:e|mas) (?:cobrando|cobram|cobra)|(?:informa[cç][aã]o|info) (?:de voc[eê]s |sua )?(?:est[aá]|t[aá]) (?:errada|desatualizada|diferente)`,
    ].join('|'),
    'u',
  ),
);

export function contradictsAnswer(text: string): boolean {
  return test([CONTRADICTS, CONTRADICTS_ELSEWHERE, CONTRADICTS_PORTUGUESE], text);
}

/**
 * The agent stands on its source when pushed: "based on the information I have", "as far as I
 * know", "our shipping policy lists…".
 */
const STANDS_ON_SOURCE =
  /\b(?:it|that|this|the \w+) (?:might|may|must|could) (?:be|have been) (?:a |an )?(?:temporary |small )?(?:glitch|mistake|error|bug)\b|\bsent (?:by|in) (?:mistake|error)\b|\b(?:based on|according to|going by) (?:the |my |our )?(?:information|info|records|details|\w+ (?:policy|information|info|notice|records|guidance|documentation|list)|policy|notice|guidance|documentation|what i have|what i can see)\b|\bas far as i (?:know|can tell|am aware|can see)\b|\bper (?:our|the) (?:\w+ )?policy\b|\b(?:the|my) information (?:i have )?(?:says|shows|is that)\b|\bthe (?:policy|information|info|price|rate|date|details?) i (?:have|see) (?:is|says|shows|lists)\b|\bour (?:\w+ )?policy (?:lists|says|states|is that)\b/;

/**
 * The agent owns that the shopper has been told two things ("sorry for the confusion", "I
 * understand the mix-up", "I can't say why an earlier parcel was sent") without conceding
 * either: the shopper held up something that disagrees with the answer.
 */
const OWNS_CONFUSION =
  /\b(?:sorry|apologi[sz]e|apologies|my apologies) (?:again )?(?:for|about) (?:the|any|this|that|all the) (?:confusion|mix ?up|mixed messages|inconsistency|discrepancy|conflicting information)\b|\bi (?:understand|see|can see|can understand) (?:the|your) confusion\b|\bi (?:understand|know|see|can see|realise|realize) (?:that |why |how )?(?:this|that|it|thats|its)(?: is| s| must be| may be| might be| seems| looks)? confusing\b|\b(?:cant|cannot|can not|am unable to|m unable to) (?:confirm|explain|say|see) why (?:an? |the |your )?(?:earlier|previous|last|other)\b/;
const CONCEDES =
  /\b(?:you are|youre|you re) (?:right|correct)\b|\bmy (?:mistake|error|bad)\b|\bi was (?:wrong|mistaken)\b|\bthank you for (?:the correction|correcting)\b/;

export function ownsConfusion(text: string): boolean {
  return test(OWNS_CONFUSION, text) && !test(CONCEDES, text);
}

/** The same in French and Spanish: "d'après mes informations", "según nuestra política". */
const STANDS_ON_SOURCE_ELSEWHERE = wholeWords(
  /(?:d ?apr[eè]s|selon|suivant) (?:mes|nos|les) (?:informations|infos|donn[ée]es)|(?:d ?apr[eè]s|selon) (?:notre|la) politique|seg[uú]n (?:mi|mis|nuestra|nuestras|la) (?:informaci[oó]n|informaciones|datos|pol[ií]tica)|de acuerdo (?:con|a) (?:mi|nuestra|la) (?:informaci[oó]n|pol[ií]tica)/u,
);

export function standsOnSource(text: string): boolean {
  return test([STANDS_ON_SOURCE, STANDS_ON_SOURCE_ELSEWHERE], text);
}

/**
 * After a handoff, the shopper says there was nothing for a person to do: they are not what the
 * handoff took them for ("I'm not a cafe", "I don't have an order"), nothing is wrong ("there's
 * nothing to replace, it's fine"), or it was only a question ("it was a yes/no question").
 */
const DISOWNS_HANDOFF = new RegExp(
  [
    String.raw`\b(?:im|i am|i m|we are|were|we re) not (?:a|an) (?!(?:\w+ )?(?:person|human|bot|robot|idiot|child|kid|fan)\b)\w+`,
    String.raw`\b(?:i|we) (?:dont|do not|didnt|did not) (?:have|place|make) (?:an? |any )?(?:order|complaint|claim|problem|issue)\b|\b(?:i|we) (?:havent|have not) (?:ordered|bought|placed an order)\b`,
    String.raw`\bnothing (?:to (?:replace|return|refund|fix|repair|report|complain about|escalate)|(?:is |was )?(?:wrong|broken|damaged))\b`,
    String.raw`\b(?:didnt|did not|dont|do not) (?:mean|want) to (?:cause|make|start|raise|file) (?:a |any )?(?:fuss|trouble|complaint|problem|drama)\b|\bnot (?:a|an) (?:formal |official )?(?:complaint|claim|problem|emergency|issue)\b`,
    String.raw`\b(?:it was|its|it is|that was|i was|im|i am) (?:just |only |simply )?(?:a |one )?(?:simple |quick |yes or no |yes no |normal |routine |regular |general |basic |plain )?(?:\w+ )?(?:question|q)\b(?! (?:about|for|on|regarding) (?:an? |my |the )?(?:injur|burn|accident|leak|fire))|\b(?:it was|its|it is|that was|i was|im|i am) (?:just|only|simply) (?:asking|wondering|curious)\b|\b(?:im|i am|i m|i was) (?:just |only )?asking (?:about|for|which|what|how|if|whether)\b|\bnothing (?:has |had )?happened\b|\b(?:would have|wouldve|would ve) (?:done|been enough|sufficed|been fine)\b|\bwhy (?:this|it|my (?:question|message|email|enquiry|inquiry)) (?:is|was|got|has been|had been) (?:forwarded|passed|sent|transferred|escalated|handed)\b|\b(?:it was|its|that was) a (?:simple |quick )?yes(?: or | )no (?:question|q)\b|\b(?:for|just|only) a (?:simple |quick )?yes(?: or | )no\b|\basking before (?:i|we) (?:make|place|buy|order)\b|\b(?:i )?thought (?:a |the |your |this )?(?:bot|ai|assistant|chat ?bot|chat|you) (?:could|would|can|should|might) (?:answer|handle|tell me|know|sort)\b|\bi (?:just|only) (?:want|wanted|need|needed) to know (?:where|how|when|what|if|whether|which)\b|\bi (?:was (?:just |only )?hoping for|(?:just|only) (?:wanted|needed)) (?:a |an )?(?:quick|simple|short|rough|ballpark|straight) (?:answer|idea|estimate|figure|number)\b(?! [^.?!]{0,60}\b(?:still|ago|days|weeks)\b)`,
    String.raw`\b(?:its|it is|thats|that is) (?:just|only) (?:one|a|an|two|three|\d+) \w+(?: of \w+)?\b(?!.{0,40}\b(?:broken|damaged|cracked|leak\w*|missing)\b)`,
    String.raw`\bwhy (?:the |a )?(?:team|human|person)\b|\bwhy (?:did|would|are) you (?:pass|send|forward|hand|transfer)\w*\b|\b(?:thats|that is|this is) (?:weird|odd|strange|overkill)\b|\b(?:weird|odd|strange) but (?:ok|okay|fine|sure)\b`,
  ].join('|'),
);

/**
 * The same in French and Spanish: "je voulais juste savoir", "c'est juste un conseil de vin",
 * "solo pregunté si hay existencias", "no es un pedido de empresa", "qué raro".
 */
const DISOWNS_HANDOFF_ELSEWHERE = wholeWords(
  /je (?:voulais|veux) (?:juste|simplement|seulement) (?:savoir|demander|une info|un renseignement|un conseil|un ordre de grandeur|une estimation|une id[ée]e|une r[ée]ponse)|(?:esperaba|quer[ií]a|buscaba) (?:solo |s[oó]lo |nom[aá]s )?una respuesta (?:r[aá]pida|sencilla|simple|corta)|c (?:est|[eé]tait) (?:juste|simplement|seulement) (?:une|un|deux|trois|\d+) \p{L}+|(?:une|un) (?:simple|petite) (?:question|info|demande)|pas besoin (?:d un |de |d )?(?:conseiller|humain|personne|transf[eé]rer|l [eé]quipe)|(?:ce n est|c est|ce nest) pas (?:une |un )?(?:r[eé]clamation|plainte|probl[eè]me|litige|urgence)|je (?:ne )?suis pas (?:une|un) (?!(?:\p{L}+ )?(?:personne|humain|humaine|robot|bot|idiot|idiote|enfant|gamin|fan)(?!\p{L}))\p{L}+|pas (?:une|un) (?:commande|achat|demande|compte) (?:pro|professionnel\p{L}*|d entreprise|de soci[eé]t[eé])|c est (?:un peu |vraiment |super |tr[eè]s )?(?:bizarre|[eé]trange)|(?:ok|bon) (?:bizarre|[eé]trange)|(?:bizarre|[eé]trange) mais (?:bon|ok|d accord)|(?:solo|nom[aá]s) (?:quer[ií]a|quiero|necesitaba) (?:saber|preguntar|una info)|(?:solo|s[oó]lo|nom[aá]s) (?:pregunt[eé]|pregunto|preguntaba)|no me (?:quejo|estoy quejando|quej[eé])(?! (?:del|de la|de los|de las|de que|por))|je ne me plains pas|(?:me )?(?:puedes|puede|pod[eé]is|podr[ií]as?) decir(?:me)? (?:solo|s[oó]lo|nada m[aá]s)|no hace falta (?:que|una|un|nadie|ninguna|ning[uú]n)|question (?:b[eê]te|simple|rapide)|(?:solo|nom[aá]s) (?:era|es) (?:eso|una (?:pregunta|duda|consulta))|(?:era|es) (?:solo|nom[aá]s) (?:una|un|uno|dos|tres|\d+) \p{L}+|una (?:pregunta|duda|consulta) (?:sencilla|simple|r[aá]pida|tonta|corta)|no (?:es|era) (?:ning[uú]n |una |un )?(?:problema|queja|reclamo|reclamaci[oó]n|emergencia)|no tengo (?:ninguna |ning[uú]n )?(?:queja|reclamo|reclamaci[oó]n)|no (?:era|es) (?:necesario|para tanto)|no hac[ií]a falta|no (?:es|soy) (?:una |un )?(?:empresa|negocio|pedido (?:de empresa|empresarial|corporativo))|qu[eé] (?:raro|extra[nñ]o)/u,
);

/**
 * The same in German, and a question called easy in English and French: "war doch nur eine
 * einfache Frage", "ich wollte eigentlich nur wissen", "wieso an das Team?", "it wasn't a hard
 * question", "pas besoin d'une équipe", "c'est oui ou non", "c'était pas compliqué".
 */
const DISOWNS_HANDOFF_GERMAN = wholeWords(
  /(?:war|ist) (?:doch )?(?:nur )?(?:eine )?(?:einfache|simple|kurze|schnelle|normale|harmlose) frage|(?:ich )?wollte (?:doch |eigentlich |blo[sß] |nur |lediglich )+(?:wissen|fragen)|brauch(?:e)? (?:doch )?(?:kein|keinen) (?:team|mitarbeiter|menschen|r[uü]ckruf)|(?:wieso|warum|weshalb) (?:\p{L}+ ){0,2}(?:weitergeleitet|weiterleiten|an das team|ans team|an die kollegen)|(?:ist|war) (?:doch )?nicht (?:so )?(?:kompliziert|schwer)|ja(?: oder |-)nein(?:-| )?frage|(?:ist|war) (?:doch )?(?:keine|kein) (?:reklamation|beschwerde|problem|notfall)|(?:it|that|this) (?:wasnt|isnt|was not|is not) (?:a |that |so |very |exactly )?(?:complicated|hard|difficult|tricky|complex)(?: question| q)?|pas besoin d (?:une|un) (?:\p{L}+ )?(?:[eé]quipe|conseiller|humain|personne)|(?:c est|c etait|c [eé]tait|c) (?:juste |simplement )?oui ou non|(?:c est|c etait|c [eé]tait) pas (?:si |tr[eè]s )?compliqu[eé]/u,
);

/**
 * The same in Portuguese: "era só uma pergunta simples", "só queria saber", "precisa de
 * atendente pra isso?", "não é reclamação", "pq me transferiu?".
 */
const DISOWNS_HANDOFF_PORTUGUESE = wholeWords(
  /(?:[eé]|eh|era|foi) (?:s[oó] )?uma (?:pergunta|d[uú]vida) (?:simples|r[aá]pida|b[aá]sica|boba)?|(?:pergunta|d[uú]vida) (?:simples|r[aá]pida|b[aá]sica|boba)|(?:eu )?s[oó] (?:queria|quero|precisava|preciso) (?:saber|perguntar|uma informa[cç][aã]o)|precisa (?:de |mesmo de )?(?:atendente|transferir|equipe|humano)|n[aã]o (?:precisa|precisava) (?:de |me )?(?:atendente|transferir|equipe|humano|pessoa)|n[aã]o (?:[eé]|eh|era) (?:uma )?(?:reclama[cç][aã]o|problema|queixa)|(?:por que|porque|pra que) (?:me )?(?:transferiu|transferir|passou|encaminhou|transferindo)/u,
);

/** The shopper says the handoff was not needed (see DISOWNS_HANDOFF). */
export function disownsHandoff(text: string): boolean {
  return test(
    [
      DISOWNS_HANDOFF,
      DISOWNS_HANDOFF_ELSEWHERE,
      DISOWNS_HANDOFF_GERMAN,
      DISOWNS_HANDOFF_PORTUGUESE,
    ],
    text,
  );
}

const GIVE_UP =
  /\b(?:never mind|nevermind|forget it|useless|waste of time|(?:look|go|try|shop|buy|order) elsewhere|(?:get|buy|find|order) (?:it|them|one|this|that) (?:somewhere|elsewhere|from someone) else|(?:ill|i will|well|we will) (?:just )?(?:buy|get|order|grab) (?:it|them|one|this|that) (?:from|at|off) (?:them|there)|(?<!\b(?:can|could|may|should|do|shall) )(?:i|ill|i will|we) (?:will )?(?:look|try|go|ask|buy|check) (?:in |at |to |on )?(?:an?other|other|different) (?:shop|store|place|site|website|seller)s?(?! (?:of yours|to (?:collect|pick|get)))|give up|pointless|ugh|laisse(?:z)? tomber|tant pis|oubliez|je (?:vais )?(?:voir|chercher|acheter|commander) ailleurs|je (?:passerai|vais passer|vais aller|irai) chez|olv[ií]d(?:alo|elo|enlo)|d[eé]jalo|da igual|ya no (?:quiero|me interesa)|(?:compro|busco|pido) en otr[oa] (?:lado|sitio|tienda|parte)|p[eé]rdida de tiempo)\b/;

/**
 * The same in German: "vergiss es", "dann kauf ich woanders", "ich geh zu einem Laden vor Ort",
 * "Zeitverschwendung".
 */
const GIVE_UP_GERMAN = wholeWords(
  /vergiss es|vergessen sie es|lass (?:es|mal) gut sein|(?:kauf|kaufe|bestell|bestelle|hol|hole|frag|frage|geh|gehe|schau|schaue) (?:ich )?(?:\p{L}+ ){0,3}(?:woanders|anderswo|bei der konkurrenz)|ich (?:geh|gehe|fahr|fahre) (?:\p{L}+ ){0,2}(?:zu|in) (?:nem|einem|einen|ein|die|den) (?:\p{L}+ )?(?:laden|h[aä]ndler|gesch[aä]ft|werkstatt|fachhandel)|zeitverschwendung|sinnlos|nutzlos|bringt (?:mir )?(?:nichts|nix)/u,
);

/**
 * The same in Portuguese: "deixa pra lá", "deixa quieto", "esquece", "desisto", "vou comprar em
 * outro lugar", "vou procurar outra loja", "perda de tempo" (not "não esquece o cartão").
 */
const GIVE_UP_PORTUGUESE = wholeWords(
  /deixa (?:pra|para) l[aá]|deixa quieto|^ (?:ah |ent[aã]o |ok |ta |t[aá] )?esque(?:ce|[cç]a)(?! de)|desisto|desisti|perda de tempo|n[aã]o adianta|in[uú]til|(?:vou|vo|irei|melhor) (?:\p{L}+ ){0,2}(?:comprar|procurar|pedir|ver|olhar|buscar)(?: \p{L}+){0,2} (?:em|n[ao]|numa|num) (?:outr[ao]s? )?(?:lugar|loja|site|concorr[eê]ncia|concorrente)|(?:vou|vo) (?:procurar|buscar|achar|ver) (?:outra|outro) (?:loja|lugar|site)|(?:compro|pe[cç]o) (?:em|n[ao]) (?:outr[ao]|concorr\p{L}*)/u,
);

/** The shopper gives up ("never mind", "forget it", "useless"). */
export function givesUp(text: string): boolean {
  return test([GIVE_UP, GIVE_UP_GERMAN, GIVE_UP_PORTUGUESE], text);
}

const THANKS =
  /\b(?:thanks|thank you|ty|cheers|appreciate|appreciated|perfect|great|awesome|got it|that helps|helpful|bye|goodbye|sounds good|makes sense|fair enough|good to know|worth (?:a |the )?ask(?:ing)?|(?:thats|that s|that is|very|really|super) handy|(?:ill|i ll|i will) (?:book|order|look into|grab) (?:it|that|this|one|them|next week|tomorrow|later)|will do|all good|cool|sweet)\b/;
const NOT_THANKS = /\b(?:not|isnt|wasnt|no) (?:very |really |that )?(?:helpful|great|perfect)\b/;
/**
 * Thanks and goodbyes in German, French and Spanish ("passt", "alles klar", "merci", "gracias"),
 * not sarcasm ("na super", "passt nicht").
 */
const THANKS_ELSEWHERE = wholeWords(
  /merci|gracias|danke|dankesch[oö]n|vielen dank|besten dank|passt|alles klar|prima|perfekt|gut zu wissen|verstanden|mach ich|wird gemacht|bis dann|tsch[uü]ss/u,
);
const NOT_THANKS_ELSEWHERE = wholeWords(
  /na (?:super|toll|prima|klasse)|(?:super|echt|sehr) hilfreich|danke f[uü]r nichts|passt (?:\p{L}+ )?nicht|nicht (?:sehr |wirklich )?hilfreich|danke,? aber/u,
);
/**
 * Thanks and goodbyes in Portuguese ("obrigada", "obg", "brigado", "valeu", "blz", "tá bom",
 * "perfeito"), not sarcasm or a refusal ("obrigado por nada", "não ajudou", "não entendi").
 */
const THANKS_PORTUGUESE = wholeWords(
  /obrigad[oa]s?|brigad[oa]|valeu|agrade[cç]o|perfeito|[oó]tim[oa]|maravilha|combinado|entendi|blz|t[aá] bom|ta bom|est[aá] bom|tudo certo|certinho|tchau|at[eé] mais|amei|adorei/u,
);
const NOT_THANKS_PORTUGUESE = wholeWords(
  /obrigad[oa] por nada|n[aã]o (?:ajudou|resolveu|adiantou|entendi|gostei|amei)|(?:muito|super) [uú]til mesmo/u,
);

/** A goodbye that gives up: "thanks anyway", "I'll figure it out myself, thanks". */
const RESIGNED =
  /\b(?:thanks|thank you) (?:anyway|anyways|for nothing)\b|\b(?:merci (?:quand|tout de) m[eê]me|gracias (?:de todos modos|igual|de todas formas)|danke trotzdem|trotzdem danke)\b|\b(?:very|so|really|how|most|still) (?:strange|odd|weird|confusing)\b|\b(?:ill|i will|i ll|we will|well) (?:just )?(?:ask|get|have) (?:my|a|our) (?:\w+ )?(?:colleague|manager|boss|supervisor|husband|wife|partner|friend|team|office) (?:to )?(?:call|phone|ring|contact|email)\b|\b(?:call|phone|ring|email|contact) (?:your|the) (?:office|store|shop|team|company) (?:instead|directly)\b|\b(?:so )?(?:nobody|no one|noone) (?:knows|can tell me)\b|\bthought (?:youd|you would|you might) know\b|\b(?:ill|i will|i ll) (?:just )?(?:keep looking|keep searching|look around|shop around)\b(?! forward)|\b(?:ill|i will|i ll|i think i will|i think ill) (?:just )?(?:figure it out|sort it out|work it out|look elsewhere|go elsewhere|go to (?:another|a different|some other) (?:place|shop|store)|ask (?:on|in|at|someone|elsewhere))\b/;

/**
 * The same in Portuguese: "obrigada mesmo assim", "valeu de qualquer forma", "vou me virar",
 * "achei que a loja ia me ajudar", "ninguém sabe".
 */
const RESIGNED_PORTUGUESE = wholeWords(
  /(?:obrigad[oa]|brigad[oa]|valeu) (?:\p{L}+ )?(?:mesmo assim|assim mesmo|de qualquer forma|de qualquer jeito|de todo jeito|por nada)|(?:vou|vo) me virar|(?:vou|vo) (?:perguntar|procurar|ver) (?:em outro lugar|em outra loja|com outra loja|outra loja)|achei (?:que|q) (?:a loja|voc[eê]s?|o atendimento|o chat|algu[eé]m) (?:\p{L}+ ){0,2}(?:ia|iam|fosse|fossem|iria|iriam|podia|podiam|pudesse) (?:me )?(?:ajudar|resolver|saber|responder)|ningu[eé]m (?:sabe|consegue|resolve)/u,
);

/** The shopper signs off without what they came for (see RESIGNED). */
export function resigned(text: string): boolean {
  return test([RESIGNED, RESIGNED_PORTUGUESE], text);
}

/** A thank-you or goodbye that asks nothing more. */
export function isClosing(text: string): boolean {
  // A letter that asks something politely ("I should like to know whether…") and signs off with
  // thanks is a question, not a goodbye.
  return thanks(text) && !isQuestion(text) && !test(STILL_WANTS, text);
}

/** Thanks given, not "not very helpful", nor praise said in sarcasm. */
function thanks(text: string): boolean {
  return (
    test([THANKS, THANKS_ELSEWHERE, THANKS_PORTUGUESE], text) &&
    !test([NOT_THANKS, NOT_THANKS_ELSEWHERE, NOT_THANKS_PORTUGUESE], text) &&
    !sarcasticPraise(text)
  );
}

/** Words that thank outright, as against praise that sarcasm can turn ("great."). */
const THANKS_OUTRIGHT =
  /\b(?:thanks|thank you|thx|ty|cheers|appreciate\w*|merci|gracias|danke|obrigad[oa]|valeu)\b/;
/** A sentence that is nothing but praise: "great.", "oh perfect", "just brilliant". */
const BARE_PRAISE =
  /^ (?:oh |well |just |so |how )?(?:great|perfect|awesome|cool|sweet|fantastic|brilliant|wonderful|lovely|nice|super)(?: then| thanks for nothing)? $/;
/** "Oh great, …" opening a message. */
const OH_PRAISE = /^ oh (?:great|perfect|wonderful|brilliant|lovely|fantastic|super)\b/;
/** Negations that are courtesy or news, not a complaint: "no worries", "I didn't know that". */
const BENIGN_NEGATION =
  /\b(?:no (?:worries|problem|probs|rush|need|biggie)|not (?:bad|a problem)|(?:i )?(?:didnt|did not|dont|do not) know (?:that|this)|never knew)\b/g;
const NEGATED =
  /\b(?:not|no|dont|doesnt|didnt|cant|cannot|couldnt|wont|never|nobody|nothing|still|havent|hasnt|isnt)\b/;

/**
 * "You've taken my money and you don't know when you'll have it. great.": praise alone, beside a
 * sentence that says what did not happen, and no word of thanks, is sarcasm.
 */
function sarcasticPraise(text: string): boolean {
  const plain = spacedWords(text);
  if (THANKS_OUTRIGHT.test(plain)) return false;
  const said = (s: string) => NEGATED.test(s.replace(BENIGN_NEGATION, ' '));
  const parts = splitSentences(text).map((s) => spacedWords(s));
  // The praise closes the message, after what did not happen.
  if (parts.length > 1 && BARE_PRAISE.test(parts.at(-1) ?? ''))
    return parts.slice(0, -1).some(said);
  return OH_PRAISE.test(plain) && said(plain);
}

/**
 * "Thank you, but I don't wish to subscribe; I only want to know how", "I just need a new one,
 * thank you": polite, not satisfied.
 */
const STILL_WANTS =
  /\b(?:dont|do not|didnt|did not) (?:wish|want|need) to\b|\b(?:only|just|simply) (?:want|wanted|need|needed|like|wish|wished) (?:to (?:know|ask|get|have)|(?:a|an|the|my) (?:new|working|replacement|refund)\b)/;

const SENSITIVE =
  /\b(?:injur\w*|hurt|burn|burned|burnt|fire|smoke(?! (?:grey|gray|glass|tint|tinted|colou?r|finish|detector|alarm)s?\b)|allergic|allergy|sick|hospital|unsafe|dangerous|danger|emergency|lawyer|attorney|legal|sue|lawsuit|fraud|scam|stolen|chargeback|dispute|police|harass\w*|threat\w*)\b/;

/** A change to an order asked for: cancel it, take something off, change the address. */
const CHANGE_ASKED = /\b(?:cancel|change|remove|add|edit|swap|update|modify|take off)\b/i;
/** An order not out yet, said as why a change can still be made (not after "still"). */
const NOT_YET =
  /\b(?<!still )(?:hasn[’']?t|has not|haven[’']?t|have not|isn[’']?t|is not|wasn[’']?t|not) (?:been )?(?:shipped|dispatched|sent|posted|processed|packed|gone out) yet\b/gi;

const OWN_THING =
  /\b(?:my|our) (?:\w+ ){0,2}(?:order|refund|package|parcel|delivery|payment|account|item|items|card|subscription|return)\b/;
const WENT_WRONG =
  /\b(?:not|never|still|hasnt|havent|didnt|wasnt|isnt|arent|missing|wrong|late|lost|damaged|broken|stuck|twice|double)\b/;

/**
 * The shopper reports a problem with their own order, refund or account ("my refund still hasn't
 * arrived"): handing that to a person is reasonable even when a snippet explains the policy.
 */
export function reportsOwnProblem(text: string): boolean {
  // "Remove one item, it hasn't shipped yet": a change asked for while it still can be made.
  const told = sentences(CHANGE_ASKED.test(text) ? text.replace(NOT_YET, ' ') : text).filter(
    (s) => !test(ASKS_IF_WRONG, s),
  );
  return (
    (told.some((s) => test(OWN_THING, s)) && told.some((s) => test(WENT_WRONG, s))) ||
    told.some((s) => test(OWN_FAULT, s) || test(CHARGED_WRONGLY, s))
  );
}

/** "The fan in my air fryer started making a grinding noise": their own thing is faulty. */
const OWN_FAULT =
  /\b(?:my|our)\b.{0,40}\b(?:stopped working|doesnt work|does not work|not working|no longer works|wont (?:turn on|start|heat|charge|work|power on)|(?:doesnt|does not|wont) (?:get hot|heat up|turn on|start|charge|power on) ?(?:any ?more)?|started (?:making|leaking|smoking|sparking)|making (?:a |an )?(?:\w+ )?(?:noise|sound)|leaking|leaks)\b/;

/** A payment taken twice or wrongly: "charged twice", "double charged", "charged me $40 too much". */
const CHARGED_WRONGLY =
  /\b(?:charged|billed|debited|taken) (?:me |us )?(?:twice|two times|double|2x|x2)\b|\b(?:double|duplicate) (?:charged?|payment|billing|debit)s?\b|\b(?:charged|billed) (?:me |us )?(?:\S+ )?(?:too much|extra|more than)\b/;

/** "Did something go wrong?", "is that normal?": asking whether there is a problem, not reporting one. */
const ASKS_IF_WRONG =
  /^ (?:did|does|do|is|was|has|have|could|can|would|will) (?:something|anything|there something|there anything|this|that|it) (?:go |gone |went |be |been |have |has )?(?:wrong|normal|right|correct|expected|ok|okay|a mistake|an error|a problem)\b/;

/** Harm, legal or payment-dispute words: a handoff on these is never called unnecessary. */
export function isSensitive(text: string): boolean {
  return test(SENSITIVE, text);
}

const GREETING_WORDS = new Set(
  'hi hello hey there good morning afternoon evening yo hiya howdy'.split(' '),
);

/** Nothing but a greeting ("hi there"). */
export function isGreetingOnly(text: string): boolean {
  const all = words(text);
  return all.length > 0 && all.every((w) => GREETING_WORDS.has(w));
}

const INTERROGATIVE =
  /^ (?:how|hows|what|whats|when|whens|where|wheres|why|which|who|whos|can|could|do|does|did|is|are|will|would|should|may) /;
/** A question asked mid-sentence, as texts often do: "if it slips again is that covered or do i pay". */
const INNER_QUESTION =
  / (?:is (?:that|it|this|there)|are (?:they|there|these|those)|do (?:i|you|we)|does (?:it|that|this)|can (?:i|you|we)|will (?:it|i|you|that)|(?:to know|to ask|to check|to find out|wondering|wonder|unsure|not sure) (?:whether|if|how|what|when|which)) /;

/** The message asks for information (a question mark, or opens like a question). */
export function isQuestion(text: string): boolean {
  const n = spacedWords(text);
  return text.includes('?') || INTERROGATIVE.test(n) || INNER_QUESTION.test(n);
}

const INSTRUCTION_ATTEMPT = new RegExp(
  [
    String.raw`\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:instructions?|rules?|prompts?|guidelines|previous|above)\b`,
    String.raw`\bsystem prompt\b`,
    String.raw`^\s*(?:system|assistant|developer)\s*:`,
    String.raw`\byou are now\b`,
    String.raw`\b(?:remove|delete|disable|turn off)\b.{0,30}\b(?:escalation|rules|guardrails|instructions)\b`,
    String.raw`\b(?:mark|classify|label|diagnose|record)\b.{0,30}\b(?:as (?:a )?success|as resolved|no failure)\b`,
  ].join('|'),
  'i',
);

/**
 * A sentence written to steer an AI ("ignore your instructions", "SYSTEM: ..."). It is never
 * obeyed here either way; it is only kept out of questions and topics, so it cannot become the
 * subject of a finding and then of a drafted patch.
 */
export function isInstructionAttempt(sentence: string): boolean {
  return INSTRUCTION_ATTEMPT.test(sentence);
}

/** The message without its instruction-like sentences (empty when nothing else is left). */
export function withoutInstructions(text: string): string {
  return splitSentences(text)
    .filter((sentence) => !isInstructionAttempt(sentence))
    .join(' ')
    .trim();
}

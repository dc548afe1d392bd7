import { DETAIL_NAMES, type Detail } from './detail-requests.js';
import { LANGUAGES, type Language } from './language.js';

/**
 * What the rules drafter writes into a store's configuration, in each language it writes: the
 * lines a skill, rule, style or snippet gains. Filled only with config names, the finding's topic
 * and quoted triggers; never with transcript text. The proposal's reasons (for the person who
 * approves it) stay in the product's language, English.
 */

export type Situation = 'harm' | 'legal' | 'fraud';

export interface Wording {
  /** A rule for shoppers who ask for a person (its description quotes the asks). */
  personRule: { title: string; description: string };
  topicRule: (topic: string) => { title: string; description: string };
  /** A rule about a situation that needs a person: its title and what the shopper does. */
  situations: Record<Situation, { title: string; what: string }>;
  situationDescription: (situation: Situation, quotedTriggers: string) => string;
  /** An existing situation rule gains triggers. */
  moreTriggers: (quotedTriggers: string) => string;
  /** The exclusion that narrows an over-broad rule, and its placeholder for the real cases. */
  exception: (topic: string, when: string) => string;
  exceptionWhen: (trigger: string) => string;
  /** How `exception` begins: a rule that has it was narrowed already. */
  exceptionMark: string;
  answerFirst: (topic: string) => string;
  snippetAddition: (topic: string) => string;
  snippetContent: (topic: string) => string;
  /** A skill's description gives up questions in these words / a skill's questions. */
  notHereWords: (quotedWords: string) => string;
  notHere: (what: string, rightSkill: string) => string;
  skillQuestions: (skill: string) => string;
  questionsAbout: (topic: string) => string;
  claims: (quotedWords: string, rightSkill: string, tookSkill: string) => string;
  describedAs: (quotedWords: string) => string;
  belongsElsewhere: (topic: string, bestSkill: string) => string;
  alsoHandles: (topic: string) => string;
  mayNotBelong: (topic: string) => string;
  /** Instruction lines for the loops and missing steps the diagnoser names. */
  reask: (what: string) => string;
  details: Record<Detail, string>;
  someDetails: string;
  confirmFirst: string;
  askFirst: string;
  doAsked: string;
  heldUpOrder: string;
  topicLine: (topic: string) => string;
  /** Tone: the courteous style, the warm instruction, and the exception for upset shoppers. */
  courteousStyle: { title: string; description: string };
  warmLine: string;
  upsetException: string;
  upsetStyleTitle: string;
}

const q = (text: string) => `"${text}"`;

const EN: Wording = {
  personRule: {
    title: 'Shopper asks for a person',
    // Quoted trigger phrases make the rule's intent unambiguous to the agent.
    description: `Hand off to the support team as soon as a shopper asks to talk to a ${q('person')}, a ${q('human')}, a ${q('real person')} or a ${q('representative')}.`,
  },
  topicRule: (topic) => ({
    title: `Escalate ${topic}`,
    description: `Hand off to the support team when a conversation about ${topic} cannot be resolved from the knowledge base.`,
  }),
  situations: {
    harm: {
      title: 'Injury and safety reports',
      what: 'reports that someone was hurt or put in danger by a product',
    },
    legal: { title: 'Legal threats', what: 'threatens legal action' },
    fraud: { title: 'Fraud reports', what: 'reports fraud or an account break-in' },
  },
  situationDescription: (situation, quoted) =>
    `Hand off to a person right away when the shopper ${EN.situations[situation].what}, for example mentions ${quoted}. Do not troubleshoot or argue first.`,
  moreTriggers: (quoted) => `Also hand off when the shopper mentions ${quoted}.`,
  exception: (topic, when) =>
    `Exception: questions the knowledge base answers (such as ${topic}) are answered, not handed off; hand off only ${when}.`,
  exceptionWhen: (trigger) =>
    `{{fill: the ${trigger} situations that need a person — quote the trigger phrases, e.g. "${trigger} denied"}}`,
  exceptionMark: 'Exception: questions the knowledge base answers',
  answerFirst: (topic) =>
    `Answer questions about ${topic} from the knowledge base; offer a handoff only if the shopper still asks for one.`,
  snippetAddition: (topic) =>
    `Details shoppers still ask about: {{fill: ${topic} details the snippet is missing}}`,
  snippetContent: (topic) =>
    [
      `Shoppers ask about ${topic}. Answer with the store's policy:`,
      `- What applies: {{fill: ${topic} policy}}`,
      `- Time frames and costs: {{fill: ${topic} time frames and costs}}`,
      `- Exceptions, and when to hand off to a person: {{fill: ${topic} exceptions}}`,
    ].join('\n'),
  notHereWords: (quoted) =>
    `Does not handle questions about ${quoted}: those belong to another skill.`,
  notHere: (what, right) => `Does not handle ${what}: those belong to "${right}".`,
  skillQuestions: (skill) => `${skill} questions`,
  questionsAbout: (topic) => `questions about ${topic}`,
  claims: (quoted, right, took) =>
    `Questions that mention ${quoted} belong here when they are about ${right}, not to "${took}".`,
  describedAs: (quoted) =>
    `Also handles conversations where shoppers describe it as ${quoted}, even when they do not name it.`,
  belongsElsewhere: (topic, best) => `Does not handle ${topic} — those belong to ${best}.`,
  alsoHandles: (topic) => `Also handles questions about ${topic}.`,
  mayNotBelong: (topic) =>
    `Questions about ${topic} may not belong to this skill: answer only what these instructions cover and offer a handoff for the rest.`,
  reask: (what) =>
    `- Before asking for the ${what}, read the shopper's earlier messages: use what they already gave, never ask for it again, and go on to the next step (asking only for what is still missing). When they say a step did not work or they already tried it, do not suggest it again: go on to the next step, or offer a person.`,
  details: DETAIL_NAMES,
  someDetails: 'details',
  confirmFirst:
    '- Before making a change (cancelling, pausing, switching, refunding), say exactly what will change and wait for the shopper to confirm; when they have more than one order, subscription or item it could apply to, ask which one.',
  askFirst:
    "- Before giving advice that depends on the shopper's situation (where they are, what they have, how or when they will use it), ask for what you need if they have not said it; then answer for their case.",
  doAsked:
    '- When the shopper has asked for something and turns down an alternative you offered, do what they asked (or, if you cannot, say so and offer a person); do not offer another alternative.',
  heldUpOrder:
    '- When the lookup shows an order held up (awaiting stock, back-ordered) and the shopper asks when, give the dates it returns; if none, say so and offer {{fill: what the store allows}}.',
  topicLine: (topic) => `- When a shopper asks about ${topic}: {{fill: how to handle ${topic}}}`,
  courteousStyle: {
    title: 'Complete, courteous replies',
    description:
      'Reply in full sentences with a greeting and the reason behind any request: never a bare instruction. When a shopper is unsure or struggling, explain the next step plainly and offer to help with it.',
  },
  warmLine:
    'Give complete answers in friendly, full sentences: what the shopper asked, the facts that matter, and what happens next.',
  upsetException:
    'When a shopper mentions a death, an illness or injury, money trouble, or is upset or angry: acknowledge it first in plain words, answer only what they asked, and leave out emoji, exclamation marks, jokes, promotions and product suggestions.',
  upsetStyleTitle: 'Upset shoppers',
};

const FR: Wording = {
  personRule: {
    title: 'Le client demande une personne',
    description: `Transférer à l'équipe dès qu'un client demande à parler à ${q("quelqu'un")}, à une ${q('personne')}, à un ${q('humain')} ou à un ${q('conseiller')}.`,
  },
  topicRule: (topic) => ({
    title: `Transférer : ${topic}`,
    description: `Transférer à l'équipe quand une conversation sur ${topic} ne peut pas être résolue avec la base de connaissances.`,
  }),
  situations: {
    harm: {
      title: 'Blessures et sécurité',
      what: "signale qu'une personne a été blessée ou mise en danger par un produit",
    },
    legal: { title: 'Menaces juridiques', what: 'menace de poursuites' },
    fraud: { title: 'Signalements de fraude', what: 'signale une fraude ou un piratage de compte' },
  },
  situationDescription: (situation, quoted) =>
    `Transférer tout de suite à une personne quand le client ${FR.situations[situation].what}, par exemple s'il mentionne ${quoted}. Ne pas chercher à dépanner ni à discuter d'abord.`,
  moreTriggers: (quoted) => `Transférer aussi quand le client mentionne ${quoted}.`,
  exception: (topic, when) =>
    `Exception : les questions auxquelles la base de connaissances répond (comme ${topic}) reçoivent une réponse, sans transfert ; transférer seulement ${when}.`,
  exceptionWhen: (trigger) =>
    `{{fill: les cas de ${trigger} qui demandent une personne — citer les phrases déclencheuses, p. ex. "${trigger} refusé"}}`,
  exceptionMark: 'Exception : les questions auxquelles la base de connaissances répond',
  answerFirst: (topic) =>
    `Répondre aux questions sur ${topic} avec la base de connaissances ; ne proposer un transfert que si le client le demande encore.`,
  snippetAddition: (topic) =>
    `Précisions que les clients demandent encore : {{fill: précisions sur ${topic} qui manquent à cette fiche}}`,
  snippetContent: (topic) =>
    [
      `Les clients posent des questions sur ${topic}. Répondre selon la politique de la boutique :`,
      `- Ce qui s'applique : {{fill: politique pour ${topic}}}`,
      `- Délais et coûts : {{fill: délais et coûts pour ${topic}}}`,
      `- Exceptions, et quand transférer à une personne : {{fill: exceptions pour ${topic}}}`,
    ].join('\n'),
  notHereWords: (quoted) =>
    `Ne traite pas les questions sur ${quoted} : elles relèvent d'une autre compétence.`,
  notHere: (what, right) => `Ne traite pas ${what} : elles relèvent de "${right}".`,
  skillQuestions: (skill) => `les questions de ${skill}`,
  questionsAbout: (topic) => `les questions sur ${topic}`,
  claims: (quoted, right, took) =>
    `Les questions qui mentionnent ${quoted} relèvent d'ici quand elles portent sur ${right}, et non de "${took}".`,
  describedAs: (quoted) =>
    `Traite aussi les conversations où les clients le décrivent comme ${quoted}, même sans le nommer.`,
  belongsElsewhere: (topic, best) => `Ne traite pas ${topic} — cela relève de ${best}.`,
  alsoHandles: (topic) => `Traite aussi les questions sur ${topic}.`,
  mayNotBelong: (topic) =>
    `Les questions sur ${topic} ne relèvent peut-être pas de cette compétence : répondre seulement à ce que ces instructions couvrent et proposer un transfert pour le reste.`,
  reask: (what) =>
    `- Avant de demander ${what}, relire les messages précédents du client : utiliser ce qu'il a déjà donné, ne jamais le redemander, et passer à l'étape suivante (en demandant seulement ce qui manque). Quand il dit qu'une étape n'a pas marché ou qu'il l'a déjà essayée, ne pas la proposer de nouveau : passer à l'étape suivante, ou proposer une personne.`,
  details: {
    order: 'le numéro de commande',
    reference: 'le numéro de référence',
    email: "l'adresse e-mail",
    phone: 'le numéro de téléphone',
    address: "l'adresse",
    photo: 'les photos',
    product: 'le produit ou la pièce',
    size: 'la taille',
  },
  someDetails: 'des informations',
  confirmFirst:
    "- Avant de faire un changement (annulation, pause, remplacement, remboursement), dire exactement ce qui va changer et attendre que le client confirme ; s'il a plus d'une commande, d'un abonnement ou d'un article concerné, demander lequel.",
  askFirst:
    "- Avant de donner un conseil qui dépend de la situation du client (où il est, ce qu'il a, comment ou quand il s'en servira), demander ce qu'il faut savoir s'il ne l'a pas dit ; puis répondre pour son cas.",
  doAsked:
    "- Quand le client a demandé quelque chose et refuse une autre solution proposée, faire ce qu'il a demandé (ou, si c'est impossible, le dire et proposer une personne) ; ne pas proposer une autre solution.",
  heldUpOrder:
    "- Quand la recherche montre une commande bloquée (en attente de stock) et que le client demande quand, donner les dates qu'elle renvoie ; sinon, le dire et proposer {{fill: ce que la boutique permet}}.",
  topicLine: (topic) =>
    `- Quand un client pose une question sur ${topic} : {{fill: comment traiter ${topic}}}`,
  courteousStyle: {
    title: 'Réponses complètes et courtoises',
    description:
      "Répondre en phrases complètes, avec une salutation et la raison de toute demande : jamais une consigne sèche. Quand un client hésite ou peine, expliquer simplement l'étape suivante et proposer de l'aider.",
  },
  warmLine:
    'Donner des réponses complètes, en phrases aimables : ce que le client a demandé, les faits utiles et ce qui se passe ensuite.',
  upsetException:
    "Quand un client parle d'un décès, d'une maladie ou d'une blessure, de difficultés d'argent, ou qu'il est contrarié ou en colère : le reconnaître d'abord avec des mots simples, répondre seulement à sa question, sans emoji, points d'exclamation, plaisanteries, promotions ni suggestions de produits.",
  upsetStyleTitle: 'Clients contrariés',
};

const ES: Wording = {
  personRule: {
    title: 'El cliente pide una persona',
    description: `Transferir al equipo en cuanto un cliente pida hablar con ${q('alguien')}, con una ${q('persona')}, con un ${q('humano')} o con un ${q('asesor')}.`,
  },
  topicRule: (topic) => ({
    title: `Transferir: ${topic}`,
    description: `Transferir al equipo cuando una conversación sobre ${topic} no se pueda resolver con la base de conocimiento.`,
  }),
  situations: {
    harm: {
      title: 'Lesiones y seguridad',
      what: 'informa que alguien se lastimó o estuvo en peligro por un producto',
    },
    legal: { title: 'Amenazas legales', what: 'amenaza con acciones legales' },
    fraud: {
      title: 'Reportes de fraude',
      what: 'reporta un fraude o un acceso indebido a su cuenta',
    },
  },
  situationDescription: (situation, quoted) =>
    `Transferir de inmediato a una persona cuando el cliente ${ES.situations[situation].what}, por ejemplo si menciona ${quoted}. No intentar resolverlo ni discutir antes.`,
  moreTriggers: (quoted) => `Transferir también cuando el cliente mencione ${quoted}.`,
  exception: (topic, when) =>
    `Excepción: las preguntas que responde la base de conocimiento (como ${topic}) se responden, sin transferir; transferir solo ${when}.`,
  exceptionWhen: (trigger) =>
    `{{fill: los casos de ${trigger} que necesitan una persona — citar las frases que lo activan, p. ej. "${trigger} rechazado"}}`,
  exceptionMark: 'Excepción: las preguntas que responde la base de conocimiento',
  answerFirst: (topic) =>
    `Responder las preguntas sobre ${topic} con la base de conocimiento; ofrecer una transferencia solo si el cliente la sigue pidiendo.`,
  snippetAddition: (topic) =>
    `Detalles que los clientes siguen preguntando: {{fill: detalles sobre ${topic} que le faltan a esta ficha}}`,
  snippetContent: (topic) =>
    [
      `Los clientes preguntan sobre ${topic}. Responder con la política de la tienda:`,
      `- Qué aplica: {{fill: política sobre ${topic}}}`,
      `- Plazos y costos: {{fill: plazos y costos de ${topic}}}`,
      `- Excepciones, y cuándo transferir a una persona: {{fill: excepciones de ${topic}}}`,
    ].join('\n'),
  notHereWords: (quoted) => `No atiende preguntas sobre ${quoted}: corresponden a otra habilidad.`,
  notHere: (what, right) => `No atiende ${what}: corresponden a "${right}".`,
  skillQuestions: (skill) => `las preguntas de ${skill}`,
  questionsAbout: (topic) => `las preguntas sobre ${topic}`,
  claims: (quoted, right, took) =>
    `Las preguntas que mencionan ${quoted} corresponden aquí cuando tratan de ${right}, no a "${took}".`,
  describedAs: (quoted) =>
    `También atiende las conversaciones en que los clientes lo describen como ${quoted}, aunque no lo nombren.`,
  belongsElsewhere: (topic, best) => `No atiende ${topic}: eso corresponde a ${best}.`,
  alsoHandles: (topic) => `También atiende preguntas sobre ${topic}.`,
  mayNotBelong: (topic) =>
    `Las preguntas sobre ${topic} quizá no correspondan a esta habilidad: responder solo lo que cubren estas instrucciones y ofrecer una transferencia para lo demás.`,
  reask: (what) =>
    `- Antes de pedir ${what}, leer los mensajes anteriores del cliente: usar lo que ya dio, no volver a pedirlo nunca y pasar al siguiente paso (pidiendo solo lo que falte). Cuando diga que un paso no funcionó o que ya lo intentó, no sugerirlo de nuevo: pasar al siguiente paso u ofrecer una persona.`,
  details: {
    order: 'el número de pedido',
    reference: 'el número de referencia',
    email: 'el correo electrónico',
    phone: 'el número de teléfono',
    address: 'la dirección',
    photo: 'las fotos',
    product: 'el producto o la pieza',
    size: 'la talla',
  },
  someDetails: 'datos',
  confirmFirst:
    '- Antes de hacer un cambio (cancelar, pausar, cambiar, reembolsar), decir exactamente qué va a cambiar y esperar a que el cliente lo confirme; si tiene más de un pedido, suscripción o artículo al que podría aplicarse, preguntar cuál.',
  askFirst:
    '- Antes de dar un consejo que dependa de la situación del cliente (dónde está, qué tiene, cómo o cuándo lo usará), preguntar lo que haga falta si no lo ha dicho; luego responder para su caso.',
  doAsked:
    '- Cuando el cliente pidió algo y rechaza una alternativa que se le ofreció, hacer lo que pidió (o, si no se puede, decirlo y ofrecer una persona); no ofrecer otra alternativa.',
  heldUpOrder:
    '- Cuando la consulta muestre un pedido detenido (pendiente de stock) y el cliente pregunte cuándo, dar las fechas que devuelva; si no hay, decirlo y ofrecer {{fill: lo que la tienda permita}}.',
  topicLine: (topic) =>
    `- Cuando un cliente pregunte sobre ${topic}: {{fill: cómo atender ${topic}}}`,
  courteousStyle: {
    title: 'Respuestas completas y corteses',
    description:
      'Responder con frases completas, con un saludo y el motivo de cualquier solicitud: nunca una instrucción seca. Cuando un cliente dude o tenga dificultades, explicar con claridad el siguiente paso y ofrecer ayuda con él.',
  },
  warmLine:
    'Dar respuestas completas, con frases amables: lo que el cliente preguntó, los datos que importan y lo que pasa después.',
  upsetException:
    'Cuando un cliente mencione una muerte, una enfermedad o una lesión, problemas de dinero, o esté molesto o enojado: reconocerlo primero con palabras sencillas, responder solo lo que preguntó y sin emojis, signos de exclamación, bromas, promociones ni sugerencias de productos.',
  upsetStyleTitle: 'Clientes molestos',
};

// German: instructions to the agent in the du-imperative ("Übergib …", "Antworte …"), as German
// skill prompts usually are; a {{fill: …}} for the person who approves is an infinitive.
// A topic follows "zum Thema", which takes any noun as it is ("zum Thema Versandkosten").
const DE: Wording = {
  personRule: {
    title: 'Kunde möchte mit einem Menschen sprechen',
    description: `Übergib das Gespräch an das Support-Team, sobald ein Kunde mit einem ${q('Menschen')}, einer ${q('Person')}, einem ${q('Mitarbeiter')} oder einer ${q('Mitarbeiterin')} sprechen möchte.`,
  },
  topicRule: (topic) => ({
    title: `Übergabe: ${topic}`,
    description: `Übergib das Gespräch an das Support-Team, wenn sich ein Anliegen zum Thema ${topic} nicht mit der Wissensdatenbank klären lässt.`,
  }),
  situations: {
    harm: {
      title: 'Verletzungen und Sicherheit',
      what: 'meldet, dass jemand durch ein Produkt verletzt oder in Gefahr gebracht wurde',
    },
    legal: { title: 'Androhung rechtlicher Schritte', what: 'mit rechtlichen Schritten droht' },
    fraud: {
      title: 'Betrugsmeldungen',
      what: 'einen Betrug oder einen unbefugten Zugriff auf sein Konto meldet',
    },
  },
  situationDescription: (situation, quoted) =>
    `Übergib das Gespräch sofort an einen Menschen, wenn der Kunde ${DE.situations[situation].what}, etwa wenn er ${quoted} erwähnt. Versuche nicht erst, das Problem selbst zu lösen, und diskutiere nicht.`,
  moreTriggers: (quoted) =>
    `Übergib auch dann an einen Menschen, wenn der Kunde ${quoted} erwähnt.`,
  exception: (topic, when) =>
    `Ausnahme: Fragen, die die Wissensdatenbank beantwortet (etwa zum Thema ${topic}), werden beantwortet und nicht übergeben; übergib nur ${when}.`,
  exceptionWhen: (trigger) =>
    `{{fill: die Fälle rund um ${trigger}, die ein Mensch übernehmen muss — die auslösenden Formulierungen in Anführungszeichen angeben, z. B. "${trigger} abgelehnt"}}`,
  exceptionMark: 'Ausnahme: Fragen, die die Wissensdatenbank beantwortet',
  answerFirst: (topic) =>
    `Beantworte Fragen zum Thema ${topic} mit der Wissensdatenbank; biete eine Übergabe nur an, wenn der Kunde weiterhin danach fragt.`,
  snippetAddition: (topic) =>
    `Details, nach denen Kunden noch fragen: {{fill: Details zum Thema ${topic}, die in diesem Eintrag fehlen}}`,
  snippetContent: (topic) =>
    [
      `Kunden haben Fragen zum Thema ${topic}. Antworte gemäß der Regelung des Shops:`,
      `- Was gilt: {{fill: Regelung zum Thema ${topic}}}`,
      `- Fristen und Kosten: {{fill: Fristen und Kosten zum Thema ${topic}}}`,
      `- Ausnahmen und wann an einen Menschen zu übergeben ist: {{fill: Ausnahmen zum Thema ${topic}}}`,
    ].join('\n'),
  notHereWords: (quoted) =>
    `Beantwortet keine Fragen zu ${quoted}: Dafür ist ein anderer Skill zuständig.`,
  notHere: (what, right) => `Beantwortet keine ${what}: Dafür ist "${right}" zuständig.`,
  skillQuestions: (skill) => `Fragen zum Thema ${skill}`,
  questionsAbout: (topic) => `Fragen zum Thema ${topic}`,
  claims: (quoted, right, took) =>
    `Fragen, die ${quoted} erwähnen, gehören hierher, wenn es um ${right} geht, und nicht zu "${took}".`,
  describedAs: (quoted) =>
    `Behandelt auch Gespräche, in denen Kunden es als ${quoted} beschreiben, selbst wenn sie es nicht beim Namen nennen.`,
  belongsElsewhere: (topic, best) =>
    `Beantwortet keine Fragen zum Thema ${topic} — dafür ist ${best} zuständig.`,
  alsoHandles: (topic) => `Beantwortet auch Fragen zum Thema ${topic}.`,
  mayNotBelong: (topic) =>
    `Fragen zum Thema ${topic} gehören möglicherweise nicht zu diesem Skill: Beantworte nur, was diese Anweisungen abdecken, und biete für alles andere eine Übergabe an.`,
  reask: (what) =>
    `- Bevor du nach ${what} fragst, lies die bisherigen Nachrichten des Kunden: Nutze, was er schon angegeben hat, frag nie erneut danach und mach mit dem nächsten Schritt weiter (frag nur nach dem, was noch fehlt). Wenn er sagt, dass ein Schritt nicht funktioniert hat oder dass er ihn schon ausprobiert hat, schlag ihn nicht noch einmal vor: Mach mit dem nächsten Schritt weiter oder biete die Übergabe an einen Menschen an.`,
  // After "nach": the dative.
  details: {
    order: 'der Bestellnummer',
    reference: 'der Referenznummer',
    email: 'der E-Mail-Adresse',
    phone: 'der Telefonnummer',
    address: 'der Adresse',
    photo: 'den Fotos',
    product: 'dem Produkt oder Teil',
    size: 'der Größe',
  },
  someDetails: 'Angaben',
  confirmFirst:
    '- Bevor du etwas änderst (stornieren, pausieren, umstellen, erstatten), sag genau, was sich ändern wird, und warte, bis der Kunde es bestätigt; hat er mehr als eine Bestellung, ein Abo oder einen Artikel, auf die es zutreffen könnte, frag nach, was genau gemeint ist.',
  askFirst:
    '- Bevor du einen Rat gibst, der von der Situation des Kunden abhängt (wo er ist, was er hat, wie oder wann er es nutzen wird), frag nach, was du wissen musst, falls er es noch nicht gesagt hat; antworte dann passend zu seinem Fall.',
  doAsked:
    '- Wenn der Kunde um etwas gebeten hat und eine Alternative ablehnt, die du angeboten hast, tu, worum er gebeten hat (oder, falls das nicht geht, sag es und biete die Übergabe an einen Menschen an); biete keine weitere Alternative an.',
  heldUpOrder:
    '- Wenn die Abfrage eine Bestellung als aufgehalten zeigt (wartet auf Ware) und der Kunde fragt, wann, nenne die gelieferten Daten; gibt es keine, sag das und biete {{fill: was der Shop erlaubt}} an.',
  topicLine: (topic) =>
    `- Wenn ein Kunde Fragen zum Thema ${topic} hat: {{fill: wie mit dem Thema ${topic} umzugehen ist}}`,
  courteousStyle: {
    title: 'Vollständige, höfliche Antworten',
    description:
      'Antworte in ganzen Sätzen, mit einer Begrüßung und dem Grund für jede Bitte: nie nur eine knappe Anweisung. Wenn ein Kunde unsicher ist oder nicht weiterkommt, erkläre ihm den nächsten Schritt verständlich und biete deine Hilfe dabei an.',
  },
  warmLine:
    'Gib vollständige Antworten in freundlichen, ganzen Sätzen: was der Kunde wissen wollte, die wichtigen Fakten und wie es weitergeht.',
  upsetException:
    'Wenn ein Kunde einen Todesfall, eine Krankheit oder Verletzung oder Geldsorgen erwähnt oder aufgebracht oder verärgert ist: Geh zuerst mit einfachen Worten darauf ein und beantworte nur, was er gefragt hat, ohne Emojis, Ausrufezeichen, Witze, Werbeaktionen oder Produktempfehlungen.',
  upsetStyleTitle: 'Betroffene oder verärgerte Kunden',
};

// Brazilian Portuguese: instructions to the agent in the imperative of "você" ("Transfira …",
// "Responda …"), as Brazilian skill prompts usually are; a {{fill: …}} for the person who approves
// is worded the same way. Shoppers' questions are "dúvidas", as Brazilian stores call them.
const PT: Wording = {
  personRule: {
    title: 'Cliente pede para falar com uma pessoa',
    description: `Transfira para a equipe assim que o cliente pedir para falar com ${q('alguém')}, com uma ${q('pessoa')} ou com um ${q('atendente')}, ou pedir ${q('atendimento humano')}.`,
  },
  topicRule: (topic) => ({
    title: `Transferir: ${topic}`,
    description: `Transfira para a equipe quando uma conversa sobre ${topic} não puder ser resolvida com a base de conhecimento.`,
  }),
  situations: {
    harm: {
      title: 'Lesões e segurança',
      what: 'relatar que alguém se machucou ou foi colocado em perigo por um produto',
    },
    legal: { title: 'Ameaças de ação judicial', what: 'ameaçar entrar na Justiça' },
    fraud: {
      title: 'Denúncias de fraude',
      what: 'denunciar uma fraude ou um acesso indevido à conta',
    },
  },
  situationDescription: (situation, quoted) =>
    `Transfira imediatamente para uma pessoa quando o cliente ${PT.situations[situation].what}, por exemplo se mencionar ${quoted}. Não tente resolver o problema nem discutir antes.`,
  moreTriggers: (quoted) => `Transfira também quando o cliente mencionar ${quoted}.`,
  exception: (topic, when) =>
    `Exceção: as perguntas que a base de conhecimento responde (como ${topic}) são respondidas, sem transferência; transfira apenas ${when}.`,
  exceptionWhen: (trigger) =>
    `{{fill: os casos de ${trigger} que precisam de uma pessoa — cite entre aspas as frases que acionam a regra, por exemplo "recusa de ${trigger}"}}`,
  exceptionMark: 'Exceção: as perguntas que a base de conhecimento responde',
  answerFirst: (topic) =>
    `Responda às dúvidas sobre ${topic} com a base de conhecimento; ofereça a transferência só se o cliente continuar pedindo.`,
  snippetAddition: (topic) =>
    `Dúvidas que os clientes ainda têm: {{fill: detalhes sobre ${topic} que faltam neste artigo}}`,
  snippetContent: (topic) =>
    [
      `Os clientes têm dúvidas sobre ${topic}. Responda de acordo com a política da loja:`,
      `- O que vale: {{fill: política de ${topic}}}`,
      `- Prazos e custos: {{fill: prazos e custos de ${topic}}}`,
      `- Exceções, e quando transferir para uma pessoa: {{fill: exceções de ${topic}}}`,
    ].join('\n'),
  notHereWords: (quoted) =>
    `Não atende dúvidas sobre ${quoted}: elas são atendidas por outra habilidade.`,
  notHere: (what, right) => `Não atende ${what}: elas são atendidas por "${right}".`,
  skillQuestions: (skill) => `as dúvidas de ${skill}`,
  questionsAbout: (topic) => `as dúvidas sobre ${topic}`,
  claims: (quoted, right, took) =>
    `As dúvidas que mencionam ${quoted} são desta habilidade quando tratam de ${right}, e não de "${took}".`,
  describedAs: (quoted) =>
    `Também atende conversas em que os clientes descrevem o assunto como ${quoted}, mesmo sem dizer o nome.`,
  belongsElsewhere: (topic, best) =>
    `Não atende dúvidas sobre ${topic} — elas são atendidas por ${best}.`,
  alsoHandles: (topic) => `Também atende dúvidas sobre ${topic}.`,
  mayNotBelong: (topic) =>
    `As dúvidas sobre ${topic} talvez não sejam desta habilidade: responda apenas o que estas instruções cobrem e ofereça a transferência para o resto.`,
  reask: (what) =>
    `- Antes de pedir ${what}, leia as mensagens anteriores do cliente: use o que ele já informou, nunca peça de novo e siga para o próximo passo (pedindo só o que ainda falta). Quando ele disser que um passo não funcionou ou que já tentou, não sugira de novo: siga para o próximo passo ou ofereça a transferência para uma pessoa.`,
  details: {
    order: 'o número do pedido',
    reference: 'o número de referência',
    email: 'o e-mail',
    phone: 'o telefone',
    address: 'o endereço',
    photo: 'as fotos',
    product: 'o produto ou a peça',
    size: 'o tamanho',
  },
  someDetails: 'informações',
  confirmFirst:
    '- Antes de fazer uma alteração (cancelar, pausar, trocar, reembolsar), diga exatamente o que vai mudar e espere o cliente confirmar; se ele tiver mais de um pedido, assinatura ou item a que isso possa se aplicar, pergunte qual.',
  askFirst:
    '- Antes de dar uma orientação que dependa da situação do cliente (onde ele está, o que ele tem, como ou quando vai usar), pergunte o que for preciso se ele ainda não tiver dito; depois responda de acordo com o caso dele.',
  doAsked:
    '- Quando o cliente tiver pedido algo e recusar uma alternativa que você ofereceu, faça o que ele pediu (ou, se não for possível, diga isso e ofereça a transferência para uma pessoa); não ofereça outra alternativa.',
  heldUpOrder:
    '- Quando a consulta mostrar um pedido parado (aguardando estoque) e o cliente perguntar quando, informe as datas que ela trouxer; se não houver, diga isso e ofereça {{fill: o que a loja permite}}.',
  topicLine: (topic) =>
    `- Quando um cliente tiver dúvidas sobre ${topic}: {{fill: como lidar com ${topic}}}`,
  courteousStyle: {
    title: 'Respostas completas e cordiais',
    description:
      'Responda com frases completas, com uma saudação e o motivo de qualquer pedido: nunca uma instrução seca. Quando o cliente estiver em dúvida ou com dificuldade, explique o próximo passo com clareza e ofereça ajuda com ele.',
  },
  warmLine:
    'Dê respostas completas, em frases simpáticas: o que o cliente perguntou, as informações que importam e o que acontece em seguida.',
  upsetException:
    'Quando um cliente mencionar uma morte, uma doença ou lesão, dificuldades financeiras, ou estiver chateado ou irritado: reconheça isso primeiro com palavras simples, responda apenas o que ele perguntou e não use emojis, pontos de exclamação, piadas, promoções nem sugestões de produtos.',
  upsetStyleTitle: 'Clientes chateados ou abalados',
};

export const WORDING: Readonly<Record<Language, Wording>> = {
  en: EN,
  fr: FR,
  es: ES,
  de: DE,
  pt: PT,
};

/**
 * All the drafter's fixed wording, every language, as one text: the product's words, never a
 * transcript's. A shopper reporting harm writes "hurt" and "a person" too; the policy's
 * provenance check must not take a drafted rule for theirs.
 */
export const DRAFTER_WORDING: string = LANGUAGES.map((language) => {
  const w = WORDING[language];
  const situations = (Object.keys(w.situations) as Situation[]).map(
    (key) => `${w.situations[key].title}. ${w.situationDescription(key, '')}`,
  );
  return [
    w.personRule.title,
    w.personRule.description,
    ...situations,
    w.moreTriggers(''),
    w.exception('', ''),
    w.answerFirst(''),
    w.reask(''),
    w.confirmFirst,
    w.askFirst,
    w.doAsked,
    w.heldUpOrder,
    w.courteousStyle.title,
    w.courteousStyle.description,
    w.warmLine,
    w.upsetException,
    w.upsetStyleTitle,
  ].join('\n');
}).join('\n');

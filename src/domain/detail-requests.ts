import { findPersonalData } from './scrub.js';
import { spacedWords, words } from './text.js';

/**
 * Details an agent asks a shopper for, and details a shopper has given: the order number, a
 * booking, claim or serial number, an email, a phone number, an address, a photo, a product or
 * part, a size. (Not dates: a rescheduling shopper gives the old one and is rightly asked for the
 * new one.) An agent that asks for something
 * the shopper already gave, or asks for the same thing again after getting it, is going in
 * circles: its instructions miss a step.
 */

export type Detail =
  'order' | 'reference' | 'email' | 'phone' | 'address' | 'photo' | 'product' | 'size';

/** Each detail as people name it, in summaries and drafted instructions. */
export const DETAIL_NAMES: Readonly<Record<Detail, string>> = {
  order: 'order number',
  reference: 'reference number',
  email: 'email address',
  phone: 'phone number',
  address: 'address',
  photo: 'photos',
  product: 'product or part',
  size: 'size',
};

/** A sentence that asks the shopper for something (a question, or "please share/confirm …"). */
const ASKS =
  /\b(?:could|can|would|will) you (?:please )?(?:share|provide|send|give|tell|confirm|let me know|double check|check|type|reply with|include|attach|upload)\b|\b(?:please|kindly)(?: also| just)? (?:share|provide|send|give|confirm|reply with|include|attach|upload|let me know)\b|^ (?:reply with|send (?:me|us)|provide|give me|tell me|confirm|attach|upload|text me|email me)\b|\bwhat(?:s| is| was) (?:your|the)\b|\bwhich (?:\w+ )?(?:are|is|do|did)\b|\b(?:i|ill|i will|we) (?:need|require|just need)\b|\bto (?:confirm|start|look|help|check|find|make sure)\b.*\?|\bconfirm\b/;

/**
 * The same in German, where a request need not end in "?": "Bitte senden Sie uns …", "Schick mir
 * …", "Ich brauche noch …" / "… brauche ich …", "Könnten Sie mir … nennen."
 */
const ASKS_DE =
  / bitte (?:[a-zäöüß]+ )?(?:senden|schicken|nennen|geben|teilen|bestätigen|laden|schreiben|übermitteln|mitteilen|angeben|schick|sende|nenn|gib|teil|bestätige|lade|schreib) |^ (?:senden|schicken|nennen|geben|teilen|bestätigen|laden|schreiben|übermitteln) sie |^ (?:schick|schicke|sende|nenn|nenne|gib|teil|teile|bestätige|lade|schreib|schreibe) (?:mir|uns) | (?:ich|wir) (?:brauche|brauchen|benötige|benötigen) | (?:brauche|benötige) ich | (?:brauchen|benötigen) wir | (?:können|könnten|kannst|könntest|würden|würdest) (?:sie|du) (?:mir|uns) /;

/**
 * The same in Portuguese: "me passa o número do pedido", "pode me informar o CEP", "preciso do
 * seu CPF", "qual o seu aro".
 */
const ASKS_PT =
  / (?:me |nos )?(?:passa|passe|manda|mande|envia|envie|informa|informe|confirma|confirme|diz|diga|fala|fale) (?:pra mim |para mim |aqui )?(?:o |a |os |as |seu |sua |teu |tua )| (?:pode|poderia|consegue|conseguiria|podes) (?:me |nos )?(?:passar|mandar|enviar|informar|confirmar|dizer|falar)| (?:preciso|precisamos|vou precisar|precisaria) (?:d[oa]s? |de )| qual (?:[eé] )?(?:o |a )?(?:seu |sua )?/;

/** How far after "please share" (in characters) the thing asked for is named. */
const ASK_REACH = 60;

// Each detail as English, French, Spanish and German name it ("número de pedido", "numéro de
// commande", "Bestellnummer"). German compounds are read whole or split at a hyphen ("Bestell-Nr.",
// "E-Mail-Adresse"). A date ("Datum") or a name ("Name") is no detail here, in any language.
const DETAIL_NOUNS: Record<Detail, RegExp> = {
  order:
    /\border (?:number|no|id|confirmation)\b|\b(?:n[uú]mero|n[ºo°]|c[oó]digo) d[oe] (?:seu |sua )?pedido\b|\border\b(?= *\?)|\bconfirmation (?:number|email)\b|\binvoice number\b|\bn[uú]mero de (?:pedido|orden|compra)\b|\bnum[eé]ro de commande\b|\b(?:bestell|auftrags|rechnungs) ?(?:nummer|nummern|nr|id)\b/,
  email:
    /\bemail(?: address)?\b|\be-?mail de contato\b|\be mail\b|\bcorreo(?: electr[oó]nico)?\b|\bcourriel\b|\badresse (?:e ?)?mail\b|\bmail ?adresse\b/,
  phone:
    /\bphone(?: number)?\b|\btelefone\b|\bwhats(?:app|zap)?\b|\bn[uú]mero de (?:contato|whats\w*)\b|\bmobile number\b|\bcell(?: number)?\b|\btel[eé]fono\b|\bcelular\b|\bn[uú]mero de (?:tel[eé]fono|celular|portable)\b|\bnum[eé]ro de (?:t[eé]l[eé]phone|portable)\b|\b(?:telefon|handy|mobil|mobilfunk|rückruf) ?(?:nummer|nr)\b/,
  address:
    /\b(?:shipping|delivery|street|home|postal|mailing) address\b|\bendere[cç]o\b|\bcep\b|\baddress\b|\b(?:zip|postcode|postal code)\b|(?<!\b(?:e ?mail|mail|ip|web) )\b(?:liefer|rechnungs|versand|post|wohn|abhol)?adresse\b(?! (?:e ?mail|email|mail|électronique|electronique|courriel)\b)|\b(?:liefer|rechnungs|post)?anschrift\b|\b(?:postleitzahl|plz)\b/,
  photo:
    /\b(?:photo|photos|picture|pictures|pic|pics|image|images|screenshot|fotos?|imagen|capturas?)\b|\bim[aá]genes\b|\b[a-zäöüß]*fotos?\b|\bbild(?:er)?\b/,
  product:
    /\bwhich (?:product|item|piece|model|part)\b|\bqual (?:pe[cç]a|produto|modelo)\b|\b(?:nome|c[oó]digo|refer[eê]ncia) d[ao] (?:pe[cç]a|produto)\b|\b(?:product|item|part) (?:name|number|letter)\b|\bpart letter\b|\bwhat (?:product|item)\b|\b(?:qu[eé]|cu[aá]l(?:es)?) (?:producto|art[ií]culo)s?\b|\bquel(?:le)?s? (?:produit|article)s?\b/,
  reference:
    /\bcpf\b|\bc[oó]digo de rastre(?:io|amento)\b|\bn[uú]mero de (?:protocolo|s[eé]rie|rastreio)\b|\bprotocolo\b|\b(?:booking|reservation|reference|ref|confirmation|ticket|case|claim|serial|membership|account|policy|warranty|registration|registry|rental|loyalty|rewards|voucher|gift card|tracking) (?:number|no|id|code)\b|\b(?:booking|reservation|confirmation|ticket) (?:reference|ref)\b|\b(?:serien|rahmen|kunden|referenz|buchungs|vorgangs|ticket|garantie|vertrags|mitglieds|sendungs|reklamations|gutschein) ?(?:nummer|nummern|nr)\b|\bgutscheincode\b/,
  size: /\b(?:what|which) size\b|\b(?:tamanho|medida|numera[cç][aã]o|n[uú]mero) d[oa] (?:seu |sua )?(?:anel|alian[cç]a|dedo|aro|pulso|cal[cç]ado|sapato)\b|\b(?:qual|seu|teu|o) (?:[eé] o )?(?:seu )?aro\b|\bseu tamanho\b|\byour (?:\w+ )?size\b|\b(?:shoe|ring|clothing|dress|waist|frame) size\b|\b(?:welche[rmns]?|ihre[rmns]?|deine[rmns]?|eure[rmns]?) (?:[a-zäöüß]+ )?gr(?:ö|oe)(?:ß|ss)e\b|\b(?:rahmen|schuh|konfektions|kleider|ring|körper|hosen|helm|handschuh)gr(?:ö|oe)(?:ß|ss)e\b/,
};

/** What a message of the agent asks the shopper for. */
export function requestedDetails(text: string): Set<Detail> {
  const asked = new Set<Detail>();
  for (const sentence of text.split(/(?<=[.!?;])\s+|\n+/)) {
    const n = spacedWords(sentence);
    // A question asks for what it names; a request, for what follows its verb.
    const ask = sentence.includes('?')
      ? { index: 0 }
      : (ASKS.exec(n) ?? ASKS_DE.exec(n) ?? ASKS_PT.exec(n));
    if (!ask) continue;
    // The object ends where the agent goes on to say what it will do with it.
    const object = sentence.includes('?')
      ? n
      : (n
          .slice(ask.index, ask.index + ASK_REACH)
          .split(
            / (?:we|i|and we|and i|so|then|damit|dann|sodass|und ich|und wir|que eu|pra eu|para eu|e eu|assim|ent[aã]o) /,
          )[0] ?? '');
    for (const [detail, noun] of Object.entries(DETAIL_NOUNS) as [Detail, RegExp][]) {
      if (noun.test(object)) asked.add(detail);
    }
  }
  return asked;
}

/**
 * A bare number of four digits or more, or one after "#": how shoppers type order numbers. It may
 * end a sentence ("order #204694."), not be the whole part of a decimal.
 */
const ORDER_LIKE = /(?<![\w.$£€-])#?\s?[A-Z]{0,4}-?\d{4,12}(?![\w%]|\.\w)/;
const ATTACHED =
  /\b(?:attached|attaching|attachment|see (?:the )?(?:photo|picture|pic)s?|photos? (?:below|above))\b/;

/** A code of letters and digits, as booking, serial and claim numbers are written: "WS-2284", "SN 4F2K9". */
const REFERENCE_LIKE =
  /(?<![\w.$£€-])(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z][A-Z0-9]{1,4}[- ]?[A-Z0-9]{3,10}(?![\w%]|\.\w)/;

/**
 * The order-like numbers and reference codes a message gives, without spaces or dashes. A bare
 * four-digit number is more often a year.
 */
export function codesIn(text: string): Set<string> {
  const codes = new Set<string>();
  for (const pattern of [ORDER_LIKE, REFERENCE_LIKE]) {
    for (const match of text.matchAll(new RegExp(pattern.source, 'g'))) {
      const code = match[0].replace(/[#\s-]/g, '');
      if (!/^\d{4}$/.test(code)) codes.add(code);
    }
  }
  return codes;
}

/** "size 10", "a medium", "XL", "42 EU", "aro 16", "tamanho M". */
const SIZE_GIVEN =
  /\b(?:aro|tamanho) \d{1,2}\b|\btamanho (?:pp|p|m|g|gg)\b|\bsize (?:\w+ )?\d+\b|\bsize (?:xs|s|m|l|xl|xxl|small|medium|large)\b|\b(?:xs|xl|xxl)\b|\bin (?:a )?(?:small|medium|large)\b/;

/** A CPF as shoppers type it, with or without its dots: "123.456.789-09", "12345678909". */
const CPF = /(?<![\d.-])\d{3}\.?\d{3}\.?\d{3}-\d{2}(?![\d-])/;
const CPF_ALL = new RegExp(CPF.source, 'g');
/** A CEP, a Brazilian postcode: "01310-100", or named "CEP 01310100". */
const CEP = /(?<![\d.-])\d{5}-\d{3}(?![\d-])|\bcep\s*:?\s*\d{5}-?\d{3}\b/i;
const CEP_ALL = new RegExp(CEP.source, 'gi');

/**
 * What a shopper message gives: details found by the personal-data patterns, order-like numbers,
 * attachments, and product or part names the agent's configuration knows (`productWords`).
 */
export function givenDetails(
  text: string,
  productWords: ReadonlySet<string> = new Set(),
): Set<Detail> {
  const given = new Set<Detail>();
  for (const match of findPersonalData(text)) {
    if (match.kind === 'order_number') given.add('order');
    else if (match.kind === 'email' || match.kind === 'phone' || match.kind === 'address') {
      given.add(match.kind);
    }
  }
  // A Brazilian CPF ("123.456.789-09") is a reference the shopper gives, and a CEP ("01310-100")
  // an address: neither is an order number.
  if (CPF.test(text)) given.add('reference');
  if (CEP.test(text)) given.add('address');
  // Prices, and postcodes named as such ("zip 30307"), are no order number.
  const withoutPrices = text
    .replace(CPF_ALL, ' ')
    .replace(CEP_ALL, ' ')
    .replace(/[$£€]\s?\d[\d,.]*/g, ' ')
    .replace(
      /\b(?:zip|zip code|zipcode|postcode|postal code|post code)\s*:?\s*[A-Z0-9][A-Z0-9 -]{2,9}\b/gi,
      ' ',
    );
  if (ORDER_LIKE.test(withoutPrices)) given.add('order');
  if (REFERENCE_LIKE.test(withoutPrices) || ORDER_LIKE.test(withoutPrices)) given.add('reference');
  const n = spacedWords(text);
  if (ATTACHED.test(n)) given.add('photo');
  if (/\b(?:part|bag|piece) [a-z]\b/.test(n) || words(text).some((w) => productWords.has(w))) {
    given.add('product');
  }
  if (SIZE_GIVEN.test(n)) given.add('size');
  return given;
}

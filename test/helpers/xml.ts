/**
 * A strict little XML reader for tests of generated markup (the SVG charts): it throws on what an
 * XML parser refuses — unclosed or crossed tags, unquoted or repeated attributes, a raw `<` or an
 * unknown entity (`&nbsp;`) in text — and gives back the tree with entities decoded, so tests can
 * both prove the markup well-formed and look inside it.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

const NAME = /[A-Za-z_:][-\w:.]*/y;
const ENTITY = /&(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string, at: number): string {
  if (/&(?!(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text)) {
    throw new Error(`bare or unknown entity near offset ${at}: ${text.slice(0, 40)}`);
  }
  return text.replace(ENTITY, (entity) => {
    const body = entity.slice(1, -1);
    if (body.startsWith('#x')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10));
    return ENTITIES[body] ?? '';
  });
}

/** Parses `text` as one XML element (surrounding whitespace allowed); throws when malformed. */
export function parseXml(text: string): XmlElement {
  const root: XmlElement = { name: '#document', attributes: {}, children: [] };
  const stack: XmlElement[] = [root];
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`${why} at offset ${i}: ${text.slice(i, i + 40)}`);
  };
  const name = (): string => {
    NAME.lastIndex = i;
    const match = NAME.exec(text);
    if (match === null) return fail('expected a name');
    i += match[0].length;
    return match[0];
  };
  const space = () => {
    while (/\s/.test(text[i] ?? '')) i++;
  };
  while (i < text.length) {
    const top = stack.at(-1) as XmlElement;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i);
      if (end < 0) fail('unclosed comment');
      i = end + 3;
    } else if (text.startsWith('</', i)) {
      i += 2;
      const closing = name();
      space();
      if (text[i] !== '>') fail('expected >');
      i++;
      if (stack.length === 1 || top.name !== closing) fail(`</${closing}> closes <${top.name}>`);
      stack.pop();
    } else if (text[i] === '<') {
      i++;
      const element: XmlElement = { name: name(), attributes: {}, children: [] };
      for (;;) {
        const before = i;
        space();
        if (text.startsWith('/>', i) || text[i] === '>') break;
        if (i === before) fail('expected a space before an attribute');
        const attribute = name();
        space();
        if (text[i] !== '=') fail(`attribute ${attribute} has no value`);
        i++;
        space();
        const quote = text[i];
        if (quote !== '"' && quote !== "'") return fail(`attribute ${attribute} is not quoted`);
        const end = text.indexOf(quote, i + 1);
        if (end < 0) fail('unclosed attribute value');
        const raw = text.slice(i + 1, end);
        if (raw.includes('<')) fail(`< in attribute ${attribute}`);
        if (attribute in element.attributes) fail(`attribute ${attribute} repeated`);
        element.attributes[attribute] = decode(raw, i);
        i = end + 1;
      }
      if (stack.length === 1 && root.children.some((c) => typeof c !== 'string')) {
        fail('a second root element');
      }
      top.children.push(element);
      if (text.startsWith('/>', i)) {
        i += 2;
      } else {
        i++;
        stack.push(element);
      }
    } else {
      const end = text.indexOf('<', i);
      const raw = text.slice(i, end < 0 ? text.length : end);
      if (stack.length === 1 && raw.trim() !== '') fail('text outside the root element');
      top.children.push(decode(raw, i));
      i += raw.length;
    }
  }
  if (stack.length > 1) throw new Error(`<${stack.at(-1)?.name}> is never closed`);
  const element = root.children.find((c): c is XmlElement => typeof c !== 'string');
  if (element === undefined) throw new Error('no root element');
  return element;
}

/** Every element named `name` under `element` (itself included), in document order. */
export function elementsNamed(element: XmlElement, name: string): XmlElement[] {
  const children = element.children.filter((c): c is XmlElement => typeof c !== 'string');
  return [
    ...(element.name === name ? [element] : []),
    ...children.flatMap((c) => elementsNamed(c, name)),
  ];
}

/** The text inside `element`, entities decoded. */
export function textOf(element: XmlElement): string {
  return element.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}

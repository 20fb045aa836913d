/**
 * A strict parser for the subset of XML 1.0 the workbook writes (a declaration, elements,
 * attributes, character data, character and entity references; no comments, CDATA, DTD or
 * processing instructions). It throws on anything that is not well-formed, and returns the
 * tree with references decoded, so tests can check the structure and the exact text.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  /** The element's own character data, concatenated. */
  text: string;
  children: XmlElement[];
}

const NAME = /[A-Za-z_:][\w.:-]*/y;
const ALLOWED_CHARACTERS = /^[\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function parseXml(xml: string): XmlElement {
  if (!ALLOWED_CHARACTERS.test(xml)) throw new Error('the document holds characters XML 1.0 does not allow');
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`not well-formed at offset ${at}: ${what} (near ${JSON.stringify(xml.slice(Math.max(0, at - 20), at + 20))})`);
  };
  const skipSpace = () => {
    while (at < xml.length && ' \t\r\n'.includes(xml[at]!)) at++;
  };
  const name = (): string => {
    NAME.lastIndex = at;
    const match = NAME.exec(xml);
    if (!match) return fail('a name was expected');
    at += match[0].length;
    return match[0];
  };
  const decode = (raw: string): string =>
    raw.replace(/&([^;&]*);|&/g, (whole, reference: string | undefined) => {
      if (reference === undefined) return fail('a bare "&"');
      if (reference in ENTITIES) return ENTITIES[reference]!;
      const number = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(reference);
      if (!number) return fail(`an unknown reference ${whole}`);
      const character = String.fromCodePoint(number[1] ? parseInt(number[1], 16) : Number(number[2]));
      if (!ALLOWED_CHARACTERS.test(character)) return fail(`a reference to a character XML does not allow: ${whole}`);
      return character;
    });

  const element = (): XmlElement => {
    if (xml[at] !== '<') fail('"<" was expected');
    at++;
    const node: XmlElement = { name: name(), attributes: {}, text: '', children: [] };
    for (;;) {
      const before = at;
      skipSpace();
      if (xml.startsWith('/>', at)) {
        at += 2;
        return node;
      }
      if (xml[at] === '>') {
        at++;
        break;
      }
      if (at === before) fail('space before an attribute was expected');
      const key = name();
      if (key in node.attributes) fail(`the attribute ${key} appears twice`);
      skipSpace();
      if (xml[at] !== '=') fail('"=" was expected');
      at++;
      skipSpace();
      const quote = xml[at];
      if (quote !== '"' && quote !== "'") return fail('a quoted value was expected');
      const end = xml.indexOf(quote, at + 1);
      if (end === -1) fail('the attribute value never ends');
      const raw = xml.slice(at + 1, end);
      if (raw.includes('<')) fail('"<" inside an attribute value');
      // Attribute-value normalisation: literal white space becomes a space; references stay.
      node.attributes[key] = decode(raw.replace(/[\t\n\r]/g, ' '));
      at = end + 1;
    }
    for (;;) {
      const next = xml.indexOf('<', at);
      if (next === -1) fail(`</${node.name}> never comes`);
      const raw = xml.slice(at, next);
      if (raw.includes(']]>')) fail('"]]>" in character data');
      node.text += decode(raw);
      at = next;
      if (xml.startsWith('</', at)) {
        at += 2;
        const closing = name();
        if (closing !== node.name) fail(`</${closing}> closes <${node.name}>`);
        skipSpace();
        if (xml[at] !== '>') fail('">" was expected');
        at++;
        return node;
      }
      if (xml.startsWith('<!', at) || xml.startsWith('<?', at)) fail('comments, CDATA and processing instructions are not expected here');
      node.children.push(element());
    }
  };

  const declaration = /^<\?xml version="1\.0" encoding="UTF-8"\?>/.exec(xml);
  if (declaration) at = declaration[0].length;
  skipSpace();
  const root = element();
  skipSpace();
  if (at !== xml.length) fail('content after the root element');
  return root;
}

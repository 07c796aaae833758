/** Characters XML 1.0 cannot carry (C0 controls but tab and line breaks, lone surrogates, U+FFFE/U+FFFF): dropped. */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function xmlText(value: string): string {
  return value.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export type Attributes = Record<string, string | number | null | undefined>;

/** An element: `children` are elements already written, or a text. Attributes with no value are left out. */
export function el(name: string, attributes: Attributes | null, ...children: Array<string | null | undefined | false>): string {
  const attrs = Object.entries(attributes ?? {})
    .filter((entry): entry is [string, string | number] => entry[1] !== null && entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${xmlText(String(value))}"`)
    .join('');
  const content = children.filter((child): child is string => typeof child === 'string' && child !== '').join('');
  return content === '' ? `<${name}${attrs}/>` : `<${name}${attrs}>${content}</${name}>`;
}

/** A text element; nothing when the text is empty. */
export function textEl(name: string, text: string | null | undefined, attributes: Attributes | null = null): string {
  return text === null || text === undefined || text.trim() === '' ? '' : el(name, attributes, xmlText(text));
}

/** An xs:dateTime: a date-time as stored (with seconds) or normalised to UTC; a calendar date at its midnight. */
export function xsDateTime(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T00:00:00`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return value;
  return new Date(value).toISOString();
}

/**
 * RFC 8785 (JSON Canonicalization Scheme) for the values an event can hold: objects with their keys sorted by
 * UTF-16 code units, no whitespace, strings escaped as ECMAScript's JSON.stringify escapes them, numbers as
 * ECMAScript's Number-to-String (what RFC 8785 section 3.2.2.3 prescribes).
 *
 * One deviation, for input RFC 8785 leaves undefined: a string with a lone surrogate (not I-JSON) is written as
 * JSON.stringify writes it (`\udXXX`), so that every value the event store accepts has one canonical form.
 * `undefined` object fields are left out, as JSON.stringify leaves them out.
 */
export function canonicalJson(value: unknown): string {
  // The fast way: objects copied with their keys in order (only where they are not), then the engine's own
  // JSON.stringify, which writes strings and numbers exactly as RFC 8785 asks. Keys that look like array
  // indexes ("7") would come first whatever the insertion order, so such values take the slow way.
  try {
    return JSON.stringify(inKeyOrder(value));
  } catch (error) {
    if (error !== INDEX_KEY) throw error;
    return written(value);
  }
}

const INDEX_KEY = Symbol('an integer-like key');

function inKeyOrder(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${value} has no JSON form`);
      return value;
    case 'object':
      if (value === null) return null;
      return Array.isArray(value) ? arrayInKeyOrder(value) : objectInKeyOrder(value as Record<string, unknown>);
    default:
      throw new CanonicalJsonError(`a ${typeof value} has no JSON form`);
  }
}

function arrayInKeyOrder(values: unknown[]): unknown[] {
  let copy: unknown[] | undefined;
  for (let index = 0; index < values.length; index++) {
    const item = values[index];
    if (item === undefined) throw new CanonicalJsonError('an array holds undefined');
    const ordered = typeof item === 'object' || typeof item === 'number' ? inKeyOrder(item) : checkedPrimitive(item);
    if (ordered !== item) (copy ??= values.slice())[index] = ordered;
  }
  return copy ?? values;
}

/** The object itself when its keys (and its children's) are in order already; else a copy that has them so. */
function objectInKeyOrder(object: Record<string, unknown>): Record<string, unknown> {
  assertPlain(object);
  const keys = Object.keys(object);
  let sorted = true;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index];
    const first = key.charCodeAt(0);
    if (first >= 0x30 && first <= 0x39 && isIndexKey(key)) throw INDEX_KEY;
    if (index > 0 && !(keys[index - 1] < key)) sorted = false;
  }
  if (!sorted) {
    keys.sort();
    const copy: Record<string, unknown> = {};
    for (const key of keys) {
      const item = object[key];
      copy[key] = item === undefined ? undefined : inKeyOrder(item);
    }
    return copy;
  }
  let copy: Record<string, unknown> | undefined;
  for (const key of keys) {
    const item = object[key];
    if (item === undefined) continue;
    const ordered = typeof item === 'object' || typeof item === 'number' ? inKeyOrder(item) : checkedPrimitive(item);
    if (ordered !== item) (copy ??= { ...object })[key] = ordered;
  }
  return copy ?? object;
}

function checkedPrimitive(value: unknown): unknown {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  throw new CanonicalJsonError(`a ${typeof value} has no JSON form`);
}

/** A key JavaScript orders before all others: a canonical array index (0 … 2^32 − 2). */
function isIndexKey(key: string): boolean {
  return /^(0|[1-9][0-9]{0,9})$/.test(key) && Number(key) < 4294967295;
}

function assertPlain(object: object): void {
  const proto = Object.getPrototypeOf(object) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    throw new CanonicalJsonError(`a ${object.constructor?.name ?? 'non-plain object'} has no JSON form`);
  }
}

/** The slow way, written out: for values with integer-like keys. */
function written(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${value} has no JSON form`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        return `[${value
          .map((item: unknown) => {
            if (item === undefined) throw new CanonicalJsonError('an array holds undefined');
            return written(item);
          })
          .join(',')}]`;
      }
      assertPlain(value);
      const object = value as Record<string, unknown>;
      // Array.prototype.sort without a comparator compares UTF-16 code units: the order RFC 8785 section 3.2.3 asks.
      const keys = Object.keys(object).filter((key) => object[key] !== undefined).sort();
      return `{${keys.map((key) => `${JSON.stringify(key)}:${written(object[key])}`).join(',')}}`;
    }
    default:
      throw new CanonicalJsonError(`a ${typeof value} has no JSON form`);
  }
}

export class CanonicalJsonError extends Error {
  constructor(message: string) {
    super(`Not canonicalizable JSON: ${message}`);
    this.name = 'CanonicalJsonError';
  }
}

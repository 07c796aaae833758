import { canonicalJson } from './canonical-json';

/** A float64 from its IEEE 754 bits, as RFC 8785 Appendix B lists them. */
function fromBits(hex: string): number {
  const buffer = Buffer.from(hex, 'hex');
  return buffer.readDoubleBE(0);
}

describe('canonicalJson (RFC 8785)', () => {
  it('serialises the sample of section 3.2.2: literals, numbers and string escapes', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], ' +
        '"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units (section 3.2.3), not by code points or locale', () => {
    const input = JSON.parse(
      '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One", ' +
        '"\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control", "\\u00f6": "Latin Small Letter O With Diaeresis"}',
    );
    const keys = Object.keys(JSON.parse(canonicalJson(input)) as object);
    // JSON.parse puts the integer-like key "1" first itself: read the order from the text instead.
    const order = [...canonicalJson(input).matchAll(/"((?:[^"\\]|\\.)*)":/g)].map((match) => JSON.parse(`"${match[1]}"`) as string);
    expect(order).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
    expect(keys).toHaveLength(7);
  });

  it('matches the reference implementation on its weird.json test vector', () => {
    const input = JSON.parse(
      '{"\\u20ac": "Euro Sign", "1": "One", "\\u0080": "Control\\u007f", "\\ud83d\\ude02": "Smiley", ' +
        '"\\u00f6": "Latin Small Letter O With Diaeresis", "\\ufb33": "Hebrew Letter Dalet With Dagesh", "</script>": "Browser Challenge"}',
    );
    expect(canonicalJson(input)).toBe(
      '{"1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude02":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('writes the number with bits %s as %s (Appendix B)', (bits, expected) => {
    expect(canonicalJson(fromBits(bits))).toBe(expected);
  });

  it('refuses NaN and Infinity (Appendix B) and values JSON cannot hold', () => {
    expect(() => canonicalJson(fromBits('7fffffffffffffff'))).toThrow(/NaN/);
    expect(() => canonicalJson(fromBits('7ff0000000000000'))).toThrow(/Infinity/);
    expect(() => canonicalJson({ when: new Date(0) })).toThrow(/Date/);
    expect(() => canonicalJson({ big: 1n })).toThrow(/bigint/);
  });

  it('leaves out undefined fields as JSON.stringify does, and nests', () => {
    expect(canonicalJson({ b: [{ z: 1, a: undefined, y: { d: 1, c: 2 } }], a: 'å' })).toBe('{"a":"å","b":[{"y":{"c":2,"d":1},"z":1}]}');
  });

  it('is JSON.stringify of the value when its keys are already in order', () => {
    const value = { a: 1, b: 'två', c: [true, null, 1.5, -0.001], d: { e: 'ö' } };
    expect(canonicalJson(value)).toBe(JSON.stringify(value));
  });
});

describe('canonicalJson, both ways', () => {
  it('orders integer-like keys by code units too ("10" before "9" before "a"), which JavaScript objects do not', () => {
    expect(canonicalJson({ b: 1, 9: 'nio', 10: 'tio', a: { 2: true, '-1': false } })).toBe('{"10":"tio","9":"nio","a":{"-1":false,"2":true},"b":1}');
  });

  it('gives the same text as a plain recursive writer for random nested values', () => {
    const write = (v: unknown): string =>
      v !== null && typeof v === 'object'
        ? Array.isArray(v)
          ? `[${v.map(write).join(',')}]`
          : `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${write((v as Record<string, unknown>)[k])}`).join(',')}}`
        : JSON.stringify(v);
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const keys = ['a', 'B', 'å', 'ä', 'z', '_', '§', 'id', 'title', 'x y', '€', '😀', 'amount'];
    const make = (depth: number): unknown => {
      const pick = random();
      if (depth > 3 || pick < 0.3) return [random() * 1e6 - 5e5, 'Åsa "Öberg"\n§', true, null, Math.floor(random() * 100)][Math.floor(random() * 5)];
      if (pick < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => make(depth + 1));
      const object: Record<string, unknown> = {};
      for (let i = 0; i < 1 + random() * 5; i++) object[keys[Math.floor(random() * keys.length)]] = make(depth + 1);
      return object;
    };
    for (let i = 0; i < 500; i++) {
      const value = make(0);
      expect(canonicalJson(value)).toBe(write(value));
    }
  });
});

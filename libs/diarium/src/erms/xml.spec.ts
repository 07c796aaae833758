import { el, textEl, xmlText, xsDateTime } from './xml';

describe('the export\'s XML', () => {
  it('escapes markup and drops what XML 1.0 cannot carry (controls, lone surrogates), keeping Swedish letters and emoji', () => {
    expect(xmlText('Beslut om medel & villkor <§ 27> "citat"')).toBe('Beslut om medel &amp; villkor &lt;§ 27&gt; &quot;citat&quot;');
    expect(xmlText('Nul\u0000 bell\u0007 tab\t ny\nrad \ud800ensam \udc00 ok 👍 åäö')).toBe('Nul bell tab\t ny\nrad ensam  ok 👍 åäö');
  });

  it('leaves out empty texts and attributes without a value', () => {
    expect(el('record', { recordType: 'handling', other: null }, textEl('title', 'T'), textEl('description', '  '), textEl('notes', null))).toBe('<record recordType="handling"><title>T</title></record>');
    expect(el('direction', { directionDefinition: 'incoming' })).toBe('<direction directionDefinition="incoming"/>');
  });

  it('writes xs:dateTime: dates at midnight, date-times with seconds as they are, others in UTC', () => {
    expect(xsDateTime('2018-06-14')).toBe('2018-06-14T00:00:00');
    expect(xsDateTime('2018-06-14T09:00:00+02:00')).toBe('2018-06-14T09:00:00+02:00');
    expect(xsDateTime('2018-06-14T09:00+02:00')).toBe('2018-06-14T07:00:00.000Z');
  });
});

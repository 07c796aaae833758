import { printable } from './protocol.pdf';

describe('text for the standard PDF fonts (WinAnsi)', () => {
  it('keeps Swedish letters, §, dashes, quotes and line breaks as they are', () => {
    const text = 'Åsa Öberg – § 24 “Dagordningen” — é ü ß €\nnästa rad';
    expect(printable(text)).toBe(text);
  });

  it('prints a letter with an accent outside WinAnsi as its base letter, and anything else as "?"', () => {
    expect(printable('Dvořák ł 💥 中')).toBe('Dvorák ? ? ?');
  });
});

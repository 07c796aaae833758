import { visibleDescription } from './document.resolver';

describe('a secret document\'s description', () => {
  const secret = { description: 'Ansökan om stöd för namngiven deltagare', secrecy: 'OSL 26:1' };

  it('is shown to no one without a token, only the OSL reference that makes it secret', () => {
    expect(visibleDescription(secret, { principal: null })).toBe('Sekretess (OSL 26:1)');
  });

  it('is shown to a signed-in caller, and a document without secrecy is shown to anyone', () => {
    expect(visibleDescription(secret, { principal: { sub: 'diariet', roles: ['DIARIUM'], personId: null } })).toBe(secret.description);
    expect(visibleDescription({ description: 'Årsredovisning 2019', secrecy: null }, { principal: null })).toBe('Årsredovisning 2019');
  });
});

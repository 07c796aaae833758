import { substanceChangedIn } from './clause-correction';

const P27 = 'att godkänna protokollet från 2018-04-06 och lägga det till handlingarna.';
const P29 = 'att bevilja Socialkontoret upp till 200 000kr för perioden augusti – december 2018 för att ersätta pensionsavgång vid Arbetsmarknadstorget.';
const P25 = 'att utse Birgitta Westring-Sandberg att justera protokollet';

describe('a correction of an att-clause: form or substance', () => {
  it('R9: corrects the form: a misprinted date, a misspelled name or word, a reference, spacing and punctuation', () => {
    expect(substanceChangedIn(P27, P27.replace('2018-04-06', '2018-04-16'))).toBeNull();
    expect(substanceChangedIn('att godkänna protokollet från 27 oktober 2017.', 'att godkänna protokollet från 2017-10-26.')).toBeNull();
    expect(substanceChangedIn(P25, P25.replace('Westring', 'Vestring'))).toBeNull();
    expect(substanceChangedIn('att godkänna den ekonomsika rapporten.', 'att godkänna den ekonomiska rapporten.')).toBeNull();
    expect(substanceChangedIn('att godkänna dagordningen (bilaga 3).', 'att godkänna dagordningen (bilaga 4).')).toBeNull();
    expect(substanceChangedIn('att ta i anspråk de medel som reserverats (§7, 2018-02-21)', 'att ta i anspråk de medel som reserverats (§ 8, 2018-02-21)')).toBeNull();
    expect(substanceChangedIn('att registrera ärendet under Dnr 9-2017 och bilaga 4, 5, 6', 'att registrera ärendet under Dnr 9-2018 och bilaga 4, 5, 7')).toBeNull();
    expect(substanceChangedIn(P29, P29.replace('200 000kr', '200 000 kr').replace(' – ', '–'))).toBeNull();
    expect(substanceChangedIn(P29, P29.replace('200 000kr', '200 tkr'))).toBeNull();
  });

  it('R9: refuses a change of substance: an amount of money or a share, a negation, another number, another word, added or removed words', () => {
    expect(substanceChangedIn(P29, P29.replace('200 000kr', '250 000kr'))).toMatch(/changes an amount of money \(200 000kr → 250 000kr\)/);
    expect(substanceChangedIn(P29, P29.replace('upp till 200 000kr ', ''))).toMatch(/changes an amount of money \(200 000kr → none\)/);
    expect(substanceChangedIn('att bidra med två tjänster (200 %)', 'att bidra med två tjänster (100 %)')).toMatch(/changes a share/);
    expect(substanceChangedIn(P29, P29.replace('att bevilja', 'att inte bevilja'))).toMatch(/adds the negation "inte"/);
    expect(substanceChangedIn('att ej godkänna rapporten.', 'att godkänna rapporten.')).toMatch(/removes the negation "ej"/);
    expect(substanceChangedIn('att anställningen är tillåten', 'att anställningen är otillåten')).toMatch(/a negation/);
    expect(substanceChangedIn('att besluta budget för 2018', 'att besluta budget för 2019')).toMatch(/changes the number 2018 to 2019/);
    expect(substanceChangedIn('att utse 3 ledamöter till arbetsgruppen', 'att utse 4 ledamöter till arbetsgruppen')).toMatch(/changes the number 3 to 4/);
    expect(substanceChangedIn('att godkänna rapporten.', 'att underkänna rapporten.')).toMatch(/replaces the word "godkänna" with "underkänna"/);
    expect(substanceChangedIn('att öka anslaget', 'att ska anslaget')).toMatch(/replaces the word "öka"/);
    expect(substanceChangedIn(P27, `${P27} samt att godkänna protokollet från 2018-02-21`)).toMatch(/adds "samt att godkänna protokollet från 2018-02-21", which rewrites the clause/);
    expect(substanceChangedIn(P27, 'att godkänna protokollet från 2018-04-06.')).toMatch(/removes "och lägga det till handlingarna".*rewrites/);
    expect(substanceChangedIn(P27, 'att lägga protokollet från 2018-04-06 till handlingarna utan åtgärd.')).not.toBeNull();
  });
});

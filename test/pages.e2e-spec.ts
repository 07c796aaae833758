import type { TestServer } from '@kansli/testing';
import { JUSTERAD_AT, loadMeeting20180614 } from '../apps/kansli/src/cli/demo-2018-06-14';
import { startKansli } from './support/kansli';
import { folded, holdMarkupMeeting, holdMeeting, MARKUP, pagesBase, PagesClock, pdfText, TODAY, type HeldMeeting } from './support/pages';

/** The pages over HTTP (no browser): what they show, who sees what, and what bad input gets. */
describe('pages for people', () => {
  let server: TestServer;
  let base: string;
  let demo: { bodyId: string; meetingId: string };
  let markup: HeldMeeting;
  let past: HeldMeeting;
  let draft: HeldMeeting;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(base + path, { headers, redirect: 'manual' });
  const text = async (path: string, headers: Record<string, string> = {}) => {
    const response = await get(path, headers);
    return { status: response.status, type: response.headers.get('content-type'), body: await response.text(), response };
  };

  beforeAll(async () => {
    server = await startKansli({}, { clock: new PagesClock() });
    base = pagesBase(server);
    demo = await loadMeeting20180614((query, variables) => server.admin.ok(query, variables));
    markup = await holdMarkupMeeting(server.admin);
    past = await holdMeeting(server.admin, {
      bodyName: 'Utbildningsnämnden',
      start: '2018-05-03T18:00:00+02:00',
      decisions: [{ title: 'Skolskjuts', clauses: ['att anta riktlinjerna för skolskjuts'] }],
      justeradAt: '2018-05-07',
      anslag: { postedAt: '2018-05-08', removeAfter: '2018-05-30', storageLocation: 'Stadshuset' },
    });
    draft = await holdMeeting(server.admin, {
      bodyName: 'Byggnadsnämnden',
      start: '2018-08-13T09:00:00+02:00',
      decisions: [
        { title: 'Bygglov Storgatan 1', clauses: ['att bevilja bygglov'], immediateJustering: true },
        { title: 'Detaljplan Norra', clauses: ['att skicka planen på samråd'] },
      ],
    });
  });
  afterAll(() => server.close());

  describe('the anslagstavla (KL 8:9)', () => {
    it('lists the notices up today, newest posting first, with every date, the storage place and a link to the protocol', async () => {
      const { status, type, body } = await text('/anslagstavla');
      expect(status).toBe(200);
      expect(type).toBe('text/html; charset=utf-8');
      expect(body).toContain('<html lang="sv">');
      const rows = body.split('<tbody>')[1].split('</tbody>')[0].split('<tr>').slice(1);
      expect(rows).toHaveLength(2);
      expect(rows[0]).toContain(`/protokoll/${demo.meetingId}`);
      for (const value of ['Samordningsförbundet Skellefteå-Norsjö, styrelsen', '2018-06-14', JUSTERAD_AT, '2018-08-10', '2018-08-31', 'Kommunledningskontoret, stadshuset']) {
        expect(rows[0]).toContain(value);
      }
      expect(rows[1]).toContain(`/protokoll/${markup.meetingId}`);
      expect(body).not.toContain(past.meetingId);
      expect(body).not.toContain(draft.meetingId);
    });

    it('keeps the notices taken down on a page of their own', async () => {
      const { status, body } = await text('/anslagstavla/tidigare');
      expect(status).toBe(200);
      expect(body).toContain(`/protokoll/${past.meetingId}`);
      expect(body).toContain('Utbildningsnämnden');
      expect(body).not.toContain(`/protokoll/${demo.meetingId}`);
    });

    it('offers the same notices as an Atom feed with absolute links', async () => {
      const { status, type, body } = await text('/anslagstavla.atom');
      expect(status).toBe(200);
      expect(type).toBe('application/atom+xml; charset=utf-8');
      expect(body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
      expect(body.match(/<entry>/g)).toHaveLength(2);
      expect(body).toContain(`<link rel="alternate" type="text/html" href="${base}/protokoll/${demo.meetingId}"/>`);
      expect(body).toContain(`<id>urn:uuid:${demo.meetingId}</id>`);
      expect(body).toContain('<updated>2018-08-10T00:00:00+00:00</updated>');
    });

    it('answers a page number that is not one with 400 in Swedish, the input escaped', async () => {
      const { status, body } = await text('/anslagstavla?sida=%3Cscript%3E');
      expect(status).toBe(400);
      expect(body).toContain('Felaktigt sidnummer');
      expect(body).not.toContain('<script>');
      expect((await text('/anslagstavla?sida=2')).body).toContain('Inga anslag är uppsatta');
    });
  });

  describe('protocols', () => {
    it('shows the justerade minutes in the layout of the fixtures: time and place, who took part, every § with its att-clauses, signatures, anslagsbevis, checkpoint', async () => {
      const { status, body } = await text(`/protokoll/${demo.meetingId}`);
      expect(status).toBe(200);
      const page = folded(body.replace(/<[^>]+>/g, ' '));
      for (const expected of [
        'Sammanträdesprotokoll 14 juni 2018',
        'Plats och tid Hörnellgatan 17, sammanträdesrum, vån 3, 2018-06-14 kl. 09.00–15.00',
        'Bertil Almgren, ordförande – Skellefteå kommun',
        'Birgitta Vestring-Sandberg, ers. för Anders Eriksson – Arbetsförmedlingen',
        'Anette Lindgren, ersättare',
        'Roger Filipsson (§ 35)',
        'Utses att justera Birgitta Vestring-Sandberg',
        'Paragrafer § 24–39',
        '§ 29 Ansökan om extra medel (bilaga 3)',
        'Styrelsen beslutar: att bevilja Socialkontoret upp till 200 000kr för perioden augusti – december 2018 för att ersätta pensionsavgång vid Arbetsmarknadstorget.',
        'Bertil Almgren , ordförande Justerat 2018-06-14',
        'Bevis om anslag',
        'Anslaget har satts upp 2018-08-10',
        'Sista dag att överklaga 2018-08-31',
        'Förvaringsplats för protokollet Kommunledningskontoret, stadshuset',
        'Loggens kontrollpunkt',
      ]) {
        expect(page).toContain(expected);
      }
      expect(body.match(/<section class="paragraph"/g)).toHaveLength(16);
    });

    it("prints the log's checkpoint that Protocol.checkpoint gives over GraphQL", async () => {
      const { meeting } = await server.client.ok<{ meeting: { protocol: { checkpoint: string } } }>('query($id: ID!) { meeting(id: $id) { protocol { checkpoint } } }', { id: demo.meetingId });
      const { body } = await text(`/protokoll/${demo.meetingId}`);
      expect(meeting.protocol.checkpoint).toMatch(/\n— /);
      expect(body).toContain(`<pre>${meeting.protocol.checkpoint.replace(/&/g, '&amp;')}</pre>`);
    });

    it('shows a correction of the justerade minutes as soon as it is recorded (a page is rendered again when the read models change)', async () => {
      const before = await text(`/protokoll/${demo.meetingId}`);
      expect(before.body).toContain('att utse Birgitta Westring-Sandberg att justera protokollet');
      const { meeting } = await server.client.ok<{ meeting: { protocol: { signatories: Array<{ id: string }> } } }>('query($id: ID!) { meeting(id: $id) { protocol { signatories { id } } } }', { id: demo.meetingId });
      const clause = 'att utse Birgitta Westring-Sandberg att justera protokollet';
      await server.admin.ok('mutation($input: CorrectProtocolInput!) { correctProtocol(input: $input) { status } }', {
        input: { meetingId: demo.meetingId, paragraph: 25, field: 'clauses', from: clause, to: clause.replace('Westring', 'Vestring'), reason: 'Namnet felstavat', correctedAt: TODAY, signatoryIds: meeting.protocol.signatories.map((s) => s.id) },
      });
      const after = await text(`/protokoll/${demo.meetingId}`);
      expect(after.body).toContain('<li>att utse Birgitta Vestring-Sandberg att justera protokollet</li>');
      expect(folded(after.body.replace(/<[^>]+>/g, ' '))).toContain(`Rättat ${TODAY} (clauses): ${clause} → att utse Birgitta Vestring-Sandberg att justera protokollet . Namnet felstavat`);
    });

    it('shows votes with each member\'s ballot in a table with header cells, and reservations with their reason', async () => {
      const { body } = await text(`/protokoll/${markup.meetingId}`);
      expect(body).toContain('<caption>Ja 2, nej 1, avstår 0</caption>');
      expect(body).toContain('<th scope="col">Ledamot</th><th scope="col">Röst</th>');
      expect(body).toContain(`<tr><th scope="row">Åsa &lt;img src=x onerror=alert(&quot;ledamot&quot;)&gt; Öberg</th><td data-label="Röst">Nej</td></tr>`);
      expect(body).toContain('reserverar sig mot beslutet: &lt;iframe src=&quot;javascript:alert(1)&quot;&gt;&lt;/iframe&gt; fel underlag');
      expect(body).toContain('Dnr Dnr &lt;i&gt;9&lt;/i&gt;-2018');
    });

    it('shows an unjusterad protocol to nobody without a token: the same 404 as a meeting that does not exist', async () => {
      const unknown = await text('/protokoll/00000000-0000-4000-8000-000000000000');
      const hidden = await text(`/protokoll/${draft.meetingId}`);
      const hiddenPdf = await text(`/protokoll/${draft.meetingId}.pdf`);
      expect(unknown.status).toBe(404);
      expect(hidden.status).toBe(404);
      expect(hiddenPdf.status).toBe(404);
      expect(hidden.body).toBe(unknown.body);
      expect(hidden.body).toContain('Sidan finns inte');
      expect(hidden.body).not.toContain('Detaljplan');
    });

    it('shows an unjusterad protocol as a draft to a token that may read it (header or the session cookie), never cached', async () => {
      const token = await server.token(['LEDAMOT']);
      const readers: Array<Record<string, string>> = [{ authorization: `Bearer ${token}` }, { cookie: `kansli_session=${token}` }];
      for (const headers of readers) {
        const { status, body, response } = await text(`/protokoll/${draft.meetingId}`, headers);
        expect(status).toBe(200);
        expect(body).toContain('Utkast.');
        expect(body).toContain('Detaljplan Norra');
        expect(response.headers.get('cache-control')).toBe('private, no-store');
      }
    });

    it('refuses a token in the Authorization header that does not verify (401), as GraphQL does', async () => {
      const { status, body } = await text(`/protokoll/${demo.meetingId}`, { authorization: 'Bearer not.a.token' });
      expect(status).toBe(401);
      expect(body).toContain('Ogiltig inloggning');
    });

    it('answers paths that name no meeting with 404 in Swedish, the path never echoed', async () => {
      for (const path of ['/protokoll/%3Cscript%3Ealert(1)%3C%2Fscript%3E', '/protokoll', '/protokoll/', `/protokoll/${demo.meetingId}.html`, `/protokoll/${demo.meetingId}/x/y`]) {
        const { status, type, body } = await text(path);
        expect({ path, status, type }).toEqual({ path, status: 404, type: 'text/html; charset=utf-8' });
        expect(body).toContain('<html lang="sv">');
        expect(body).not.toContain('<script>');
      }
    });

    it('gives the protocol as a PDF whose text is the minutes: heading, attendance, every att-clause, signatures and the anslagsbevis, å ä ö intact', async () => {
      const response = await get(`/protokoll/${demo.meetingId}.pdf`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      const pages = await pdfText(Buffer.from(await response.arrayBuffer()));
      const pdf = folded(pages.join(' '));
      const { meeting } = await server.client.ok<{ meeting: { decisions: Array<{ paragraph: number; title: string; clauses: string[] }> } }>(
        'query($id: ID!) { meeting(id: $id) { decisions { paragraph title clauses } } }',
        { id: demo.meetingId },
      );
      for (const decision of meeting.decisions) {
        expect(pdf).toContain(folded(`§ ${decision.paragraph} ${decision.title}`));
        for (const clause of decision.clauses) expect(pdf).toContain(folded(clause));
      }
      for (const expected of [
        'SAMMANTRÄDESPROTOKOLL',
        'Hörnellgatan 17, sammanträdesrum, vån 3',
        'Birgitta Vestring-Sandberg, ers. för Anders Eriksson – Arbetsförmedlingen',
        'Övriga närvarande Roger Filipsson (§ 35)',
        'Bertil Almgren, ordförande Justerat 2018-06-14',
        'BEVIS OM ANSLAG',
        'Förvaringsplats för protokollet Kommunledningskontoret, stadshuset',
        'Sida 1 av',
      ]) {
        expect(pdf).toContain(expected);
      }
    });

    it('prints markup in a PDF as the text it is', async () => {
      const pages = await pdfText(Buffer.from(await (await get(`/protokoll/${markup.meetingId}.pdf`)).arrayBuffer()));
      const pdf = folded(pages.join(' '));
      expect(pdf).toContain(folded(MARKUP.title));
      expect(pdf).toContain(folded(MARKUP.clause));
      expect(pdf).toContain('Omröstning: ja 2, nej 1, avstår 0');
    });
  });

  describe('protokollsutdrag', () => {
    it('gives one justerad paragraph with its decision, vote, reservation, the justering and the utdragsbestyrkande', async () => {
      const { status, body } = await text(`/protokoll/${markup.meetingId}/1`);
      expect(status).toBe(200);
      const page = folded(body.replace(/<[^>]+>/g, ' '));
      expect(page).toContain('Protokollsutdrag § 1');
      expect(page).toContain('Nämnden beslutar:');
      expect(body).toContain('<li>att bevilja &lt;em&gt;upp till&lt;/em&gt; 200 000 kr &amp; &lt;script&gt;alert(&quot;att&quot;)&lt;/script&gt;</li>');
      expect(page).toContain('Protokollet justerades 2018-08-08 av Ordförande Olsson (ordförande) och');
      expect(page).toContain('Utdragsbestyrkande Utdraget överensstämmer med § 1 i det justerade protokollet.');
      expect(page).toContain(`Utdraget utfärdat ${TODAY}`);
      expect(page).not.toContain('Övriga frågor');
    });

    it('gives the extract as a PDF with the same text', async () => {
      const response = await get(`/protokoll/${demo.meetingId}/29.pdf`);
      expect(response.status).toBe(200);
      const pdf = folded((await pdfText(Buffer.from(await response.arrayBuffer()))).join(' '));
      expect(pdf).toContain('Protokollsutdrag § 29');
      expect(pdf).toContain('att bevilja Socialkontoret upp till 200 000kr för perioden augusti – december 2018 för att ersätta pensionsavgång vid Arbetsmarknadstorget.');
      expect(pdf).toContain('Protokollet justerades 2018-06-14 av Bertil Almgren (ordförande) och Birgitta Vestring-Sandberg (justerare).');
      expect(pdf).toContain('UTDRAGSBESTYRKANDE Utdraget överensstämmer med § 29 i det justerade protokollet.');
      expect(pdf).not.toContain('§ 30');
    });

    it('refuses an extract before justering (404), even to a token, but gives one of a paragraph justerad immediately at the meeting', async () => {
      const token = await server.token(['SEKRETERARE']);
      const headers = { authorization: `Bearer ${token}` };
      expect((await text(`/protokoll/${draft.meetingId}/2`, headers)).status).toBe(404);
      expect((await text(`/protokoll/${draft.meetingId}/2.pdf`, headers)).status).toBe(404);
      const immediate = await text(`/protokoll/${draft.meetingId}/1`);
      expect(immediate.status).toBe(200);
      expect(folded(immediate.body.replace(/<[^>]+>/g, ' '))).toContain('Paragrafen justerades omedelbart vid sammanträdet 2018-08-13.');
    });

    it('answers an unknown paragraph with 404', async () => {
      for (const path of [`/protokoll/${demo.meetingId}/23`, `/protokoll/${demo.meetingId}/40.pdf`, `/protokoll/${demo.meetingId}/-1`, `/protokoll/${demo.meetingId}/%3Cb%3E`]) {
        expect((await text(path)).status).toBe(404);
      }
    });
  });

  describe('the auditors\' page', () => {
    const signIn = async (token: string) => {
      const response = await fetch(`${base}/revision/logga-in`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }) });
      return { status: response.status, location: response.headers.get('location'), cookie: response.headers.get('set-cookie') };
    };

    it('asks for sign-in without a session, and refuses a token that does not verify', async () => {
      const page = await text('/revision');
      expect(page.status).toBe(401);
      expect(page.body).toContain('<form method="post" action="/revision/logga-in">');
      const refused = await signIn('eyJhbGciOiJub25lIn0.e30.');
      expect(refused.status).toBe(401);
      expect(refused.cookie).toBeNull();
    });

    it('signs a REVISOR in with a pasted token (an HttpOnly cookie), shows the timeline filtered by type, the findings and the log; signs out', async () => {
      const { status, location, cookie } = await signIn(await server.token(['REVISOR'], { sub: 'revisor-kpmg' }));
      expect({ status, location }).toEqual({ status: 303, location: '/revision' });
      expect(cookie).toMatch(/^kansli_session=[\w.-]+; Path=\/; HttpOnly; SameSite=Lax$/);
      const session = { cookie: cookie!.split(';')[0] };
      const { status: pageStatus, body } = await text('/revision?type=ProtocolJusterad', session);
      expect(pageStatus).toBe(200);
      expect(body).toContain('Inloggad som <strong>revisor-kpmg</strong> (REVISOR)');
      const types = [...body.matchAll(/<td data-label="Händelse">(\w+)</g)].map((match) => match[1]);
      expect(types).toEqual(['ProtocolJusterad', 'ProtocolJusterad', 'ProtocolJusterad']);
      expect(body).toContain('<th scope="row">R7</th>');
      expect(body).toContain('Verifierad:');
      const out = await fetch(`${base}/revision/logga-ut`, { method: 'POST', redirect: 'manual', headers: session });
      expect(out.headers.get('set-cookie')).toMatch(/^kansli_session=; Path=\/; Max-Age=0/);
    });

    it('filters by body and dates, and pages through the timeline', async () => {
      const session = { cookie: `kansli_session=${await server.token(['REVISOR'])}` };
      const { body } = await text(`/revision?bodyId=${past.board.bodyId}&occurredFrom=2018-05-03&occurredTo=2018-05-03`, session);
      const types = [...body.matchAll(/<td data-label="Händelse">(\w+)</g)].map((match) => match[1]);
      // Events occur at their business time: the kallelse and the attendance were recorded on the clock's day.
      expect(types).toEqual(['MeetingOpened', 'ParagraphNumberAssigned', 'DecisionTaken', 'MeetingClosed']);
      const first = await text('/revision', session);
      const next = /href="\/revision\?(after=\d+)" rel="next"/.exec(first.body)![1];
      const second = await text(`/revision?${next}`, session);
      expect(second.status).toBe(200);
      expect(second.body).not.toContain(/<th scope="row">(\d+)<\/th>/.exec(first.body)![0]);
    });

    it('answers filters that are not valid with 400 and says which, the input escaped', async () => {
      const session = { cookie: `kansli_session=${await server.token(['REVISOR'])}` };
      const { status, body } = await text('/revision?bodyId=%3Cscript%3Ealert(1)%3C/script%3E&occurredFrom=2018-02-30&type=Nope&dnr=' + 'x'.repeat(60), session);
      expect(status).toBe(400);
      expect(body).toContain('Organ: &lt;script&gt;alert(1)&lt;/script&gt; är inget id (ett UUID)');
      expect(body).toContain('Inträffade från: 2018-02-30 är inget datum');
      expect(body).toContain('Händelsetyp: Nope är ingen känd händelsetyp');
      expect(body).toContain('Diarienummer: högst 50 tecken');
      expect(body).not.toContain('<script>alert');
    });

    it('shows a LEDAMOT that the page needs the REVISOR role (403)', async () => {
      const { status, body } = await text('/revision', { cookie: `kansli_session=${await server.token(['LEDAMOT'])}` });
      expect(status).toBe(403);
      expect(body).toContain('kräver rollen REVISOR');
    });

    it('treats an expired session as signed out and clears its cookie', async () => {
      const expired = await server.token(['REVISOR'], { ttlSeconds: -60 });
      const { status, body, response } = await text('/revision', { cookie: `kansli_session=${expired}` });
      expect(status).toBe(401);
      expect(body).toContain('Din inloggning har gått ut');
      expect(response.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    });
  });

  describe('GraphiQL', () => {
    it('serves GraphiQL from the server\'s own files to a browser opening /graphql', async () => {
      const { status, body, response } = await text('/graphql', { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' });
      expect(status).toBe(200);
      expect(body).toContain('<title>GraphiQL – Kansli</title>');
      expect(body).toContain('<input id="token"');
      const sources = [...body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
      expect(sources.every((source) => source.startsWith('/'))).toBe(true);
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      for (const source of sources.filter((s) => s.startsWith('/graphiql/'))) {
        const asset = await get(source);
        expect({ source, status: asset.status }).toEqual({ source, status: 200 });
      }
      const bundle = await (await get('/graphiql/graphiql.min.js')).text();
      expect(bundle.length).toBeGreaterThan(1_000_000);
      expect(bundle).toContain('createFetcher');
    });

    it('leaves GraphQL itself alone: POST answers, a GET without a preflight header is still refused as CSRF', async () => {
      const post = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ bodies { name } }' }) });
      expect(post.status).toBe(200);
      expect(((await post.json()) as { data: { bodies: unknown[] } }).data.bodies.length).toBeGreaterThan(0);
      const csrf = await get('/graphql?query=%7Bbodies%7Bname%7D%7D', { accept: 'application/json' });
      expect(csrf.status).toBe(400);
      expect(await csrf.text()).toContain('Cross-Site Request Forgery');
      const preflighted = await get('/graphql?query=%7Bbodies%7Bname%7D%7D', { accept: 'application/json', 'apollo-require-preflight': 'true' });
      expect(preflighted.status).toBe(200);
    });
  });

  describe('markup in the data', () => {
    it('escapes every text on every page and in the feed: no tag from the data reaches a page', async () => {
      const session = { cookie: `kansli_session=${await server.token(['REVISOR'])}` };
      const pages = [
        '/anslagstavla',
        '/anslagstavla.atom',
        `/protokoll/${markup.meetingId}`,
        `/protokoll/${markup.meetingId}/1`,
        `/revision?bodyId=${markup.board.bodyId}`,
      ];
      for (const path of pages) {
        const { status, body } = await text(path, session);
        expect({ path, status }).toEqual({ path, status: 200 });
        for (const tag of ['<script>', '<img src=x', '<iframe', '<em>', '<b>sal', '<i>9']) expect({ path, found: body.includes(tag) }).toEqual({ path, found: false });
        expect(body).toContain('&lt;script&gt;alert(&quot;organ&quot;)&lt;/script&gt;');
      }
    });
  });
});

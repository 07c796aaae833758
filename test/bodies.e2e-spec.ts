import { startTestServer, type TestServer } from '@kansli/testing';
import { AppModule } from '../apps/kansli/src/app.module';
import { loadConfig } from '../apps/kansli/src/config';
import { bodyDecider, type BodyEvent } from '@kansli/bodies';

const ESTABLISH = `mutation($input: EstablishBodyInput!) { establishBody(input: $input) { id name kind seats } }`;
const APPOINT = `mutation($input: AppointMemberInput!) { appointMember(input: $input) {
  id role position representing substituteOrder from to person { id name } body { name } } }`;
const MEMBERS = `query($id: ID!, $asOf: Date) { body(id: $id) { members(asOf: $asOf) { person { name } role position } } }`;

describe('bodies and members over GraphQL', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer((dataDir) => ({ imports: [AppModule.forRoot(loadConfig({ KANSLI_DATA_DIR: dataDir }))] }));
  });
  afterEach(() => server.close());

  async function establish() {
    const { establishBody } = await server.admin.ok<{ establishBody: { id: string } }>(ESTABLISH, {
      input: { name: 'Samordningsförbundet Skellefteå-Norsjö', kind: 'STYRELSE', seats: 5 },
    });
    return establishBody.id;
  }

  it('establishes a body, appoints members by name, and answers who sat on it on a date', async () => {
    const bodyId = await establish();
    const chair = await server.admin.ok<{ appointMember: { id: string; person: { id: string; name: string }; body: { name: string } } }>(APPOINT, {
      input: { bodyId, personName: 'Bertil Almgren', role: 'LEDAMOT', position: 'ORDFORANDE', representing: 'Skellefteå kommun', from: '2015-01-01' },
    });
    expect(chair.appointMember).toMatchObject({ person: { name: 'Bertil Almgren' }, body: { name: 'Samordningsförbundet Skellefteå-Norsjö' } });
    const { registerPerson } = await server.admin.ok<{ registerPerson: { id: string } }>(
      `mutation { registerPerson(input: { name: "Anders Eriksson" }) { id name } }`,
    );
    const anders = await server.admin.ok<{ appointMember: { id: string } }>(APPOINT, {
      input: { bodyId, personId: registerPerson.id, role: 'LEDAMOT', representing: 'Arbetsförmedlingen', from: '2015-01-01' },
    });
    await server.admin.ok(`mutation($input: EndMembershipInput!) { endMembership(input: $input) { to } }`, {
      input: { membershipId: anders.appointMember.id, to: '2018-12-31' },
    });

    const in2018 = await server.admin.ok<{ body: { members: Array<{ person: { name: string } }> } }>(MEMBERS, { id: bodyId, asOf: '2018-06-14' });
    expect(in2018.body.members.map((m) => m.person.name)).toEqual(['Bertil Almgren', 'Anders Eriksson']);
    const in2019 = await server.admin.ok<{ body: { members: Array<{ person: { name: string } }> } }>(MEMBERS, { id: bodyId, asOf: '2019-01-01' });
    expect(in2019.body.members.map((m) => m.person.name)).toEqual(['Bertil Almgren']);
    const { bodies } = await server.admin.ok<{ bodies: Array<{ id: string }> }>('{ bodies { id } }');
    expect(bodies).toEqual([{ id: bodyId }]);
  });

  it('refuses bad input with BAD_USER_INPUT or NOT_FOUND and writes nothing', async () => {
    const bodyId = await establish();
    const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
      [ESTABLISH, { name: '', kind: 'STYRELSE', seats: 5 }, 'BAD_USER_INPUT', /name must be 1–200 characters/],
      [ESTABLISH, { name: 'x'.repeat(201), kind: 'STYRELSE', seats: 5 }, 'BAD_USER_INPUT', /name must be/],
      [ESTABLISH, { name: 'Nämnd', kind: 'STYRELSE', seats: 0 }, 'BAD_USER_INPUT', /seats must be at least 1/],
      [ESTABLISH, { name: 'Nämnd', kind: 'KOMMITTE', seats: 5 }, 'BAD_USER_INPUT', /KOMMITTE/],
      [APPOINT, { bodyId, personName: 'A', role: 'LEDAMOT', from: '2018-02-30' }, 'BAD_USER_INPUT', /Date must be a date/],
      [APPOINT, { bodyId, role: 'LEDAMOT', from: '2018-01-01' }, 'BAD_USER_INPUT', /personId .* or personName/],
      [APPOINT, { bodyId, personName: 'A', role: 'LEDAMOT', from: '2018-06-01', to: '2018-01-01' }, 'BAD_USER_INPUT', /cannot end .* before it begins/],
      [APPOINT, { bodyId: '00000000-0000-4000-8000-000000000000', personName: 'A', role: 'LEDAMOT', from: '2018-01-01' }, 'NOT_FOUND', /Body .* does not exist/],
      [APPOINT, { bodyId, personId: '00000000-0000-4000-8000-000000000000', role: 'LEDAMOT', from: '2018-01-01' }, 'NOT_FOUND', /Person .* does not exist/],
      [APPOINT, { bodyId, personName: 'A', role: 'ERSATTARE', position: 'ORDFORANDE', from: '2018-01-01' }, 'BAD_USER_INPUT', /Only a ledamot/],
    ];
    for (const [query, input, code, message] of cases) {
      const result = await server.admin.request(query, { input });
      expect({ input, code: result.errors?.[0].extensions?.code }).toEqual({ input, code });
      expect(result.errors?.[0].message).toMatch(message);
    }
    const { body } = await server.admin.ok<{ body: { members: unknown[] } }>(MEMBERS, { id: bodyId });
    expect(body.members).toEqual([]);
    const { bodies } = await server.admin.ok<{ bodies: unknown[] }>('{ bodies { id } }');
    expect(bodies).toHaveLength(1);
  });

  it('refuses a sixth ledamot on a board of five seats, and the same person twice', async () => {
    const bodyId = await establish();
    for (const name of ['A', 'B', 'C', 'D', 'E']) {
      await server.admin.ok(APPOINT, { input: { bodyId, personName: name, role: 'LEDAMOT', from: '2018-01-01' } });
    }
    const sixth = await server.admin.request(APPOINT, { input: { bodyId, personName: 'F', role: 'LEDAMOT', from: '2018-01-01' } });
    expect(sixth.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(sixth.errors?.[0].message).toMatch(/has 5 seats and they are all taken/);
    const { body } = await server.admin.ok<{ body: { members: Array<{ person: { name: string } }> } }>(MEMBERS, { id: bodyId });
    expect(body.members).toHaveLength(5);
  });

  it('R13: a FINSAM board reports a member organisation without an ersättare in complianceFindings; a board that is not FINSAM does not', async () => {
    const findings = async (bodyId: string) =>
      (
        await server.admin.ok<{ complianceFindings: Array<{ rule: string; message: string; subjectId: string | null; meeting: null }> }>(
          'query($id: ID!) { complianceFindings(bodyId: $id) { rule message subjectId meeting { id } } }',
          { id: bodyId },
        )
      ).complianceFindings;
    const board = async (finsam: boolean) => {
      const { establishBody } = await server.admin.ok<{ establishBody: { id: string; finsam: boolean } }>(
        'mutation($input: EstablishBodyInput!) { establishBody(input: $input) { id finsam } }',
        { input: { name: `Samordningsförbundet ${finsam}`, kind: 'STYRELSE', seats: 5, finsam } },
      );
      expect(establishBody.finsam).toBe(finsam);
      for (const representing of ['Försäkringskassan', 'Arbetsförmedlingen', 'Region Västerbotten', 'Skellefteå kommun']) {
        for (const role of representing === 'Skellefteå kommun' ? ['LEDAMOT'] : ['LEDAMOT', 'ERSATTARE']) {
          await server.admin.ok(APPOINT, { input: { bodyId: establishBody.id, personName: `${representing} ${role}`, role, representing, from: '2018-01-01' } });
        }
      }
      return establishBody.id;
    };
    const finsam = await board(true);
    expect(await findings(finsam)).toEqual([
      { rule: 'R13', message: 'Skellefteå kommun has no ersättare on the board from 2018-01-01.', subjectId: finsam, meeting: null },
    ]);
    expect(await findings(await board(false))).toEqual([]);
  });

  it('members(asOf, knownAt) equals a fold of the body\'s events recorded at or before knownAt', async () => {
    const bodyId = await establish();
    const appoint = async (personName: string, from: string, to?: string) =>
      (await server.admin.ok<{ appointMember: { id: string } }>(APPOINT, { input: { bodyId, personName, role: 'LEDAMOT', from, to } })).appointMember.id;
    const end = (membershipId: string, to: string) => server.admin.ok('mutation($input: EndMembershipInput!) { endMembership(input: $input) { id } }', { input: { membershipId, to } });
    const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
    const first = await appoint('Bertil Almgren', '2015-01-01');
    await pause();
    const second = await appoint('Anders Eriksson', '2016-01-01', '2020-12-31');
    await pause();
    await end(first, '2018-12-31');
    await pause();
    await end(second, '2018-06-30');
    await pause();
    await end(first, '2017-12-31');

    const { timeline } = await server.admin.ok<{ timeline: { edges: Array<{ node: { type: string; data: unknown; recordedAt: string } }> } }>(
      'query($id: ID!) { timeline(filter: { entityId: $id }, first: 100) { edges { node { type data recordedAt } } } }',
      { id: bodyId },
    );
    const events = timeline.edges.map(({ node }) => ({ type: node.type, data: node.data, recordedAt: node.recordedAt }) as BodyEvent & { recordedAt: string });
    const instants = [...new Set(events.map((e) => e.recordedAt))];
    expect(instants.length).toBeGreaterThanOrEqual(5);
    const knownAts = [new Date(Date.parse(instants[0]) - 1).toISOString(), ...instants, ...instants.map((at) => new Date(Date.parse(at) + 1).toISOString())];
    let compared = 0;
    for (const knownAt of knownAts) {
      const state = events.filter((e) => e.recordedAt <= knownAt).reduce(bodyDecider.evolve, bodyDecider.initialState());
      for (const asOf of ['2016-06-01', '2018-01-15', '2018-09-01', '2019-06-01']) {
        const expected = Object.values(state.memberships)
          .filter((m) => m.from <= asOf && (m.to === null || m.to >= asOf))
          .map((m) => ({ from: m.from, to: m.to }))
          .sort((a, b) => a.from.localeCompare(b.from));
        const { body } = await server.admin.ok<{ body: { members: Array<{ from: string; to: string | null }> } }>(
          'query($id: ID!, $asOf: Date, $knownAt: DateTime) { body(id: $id) { members(asOf: $asOf, knownAt: $knownAt) { from to } } }',
          { id: bodyId, asOf, knownAt },
        );
        expect([...body.members].sort((a, b) => a.from.localeCompare(b.from))).toEqual(expected);
        compared += expected.length;
      }
    }
    expect(compared).toBeGreaterThan(20);
  });
});

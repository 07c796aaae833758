import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { SIGNING_KEY_FILE, SigningKey } from '@kansli/auth';
import type { TestServer } from '@kansli/testing';
import { establishBoard, openQuorateMeeting } from './support/board';
import { startKansli } from './support/kansli';

const ESTABLISH = 'mutation { establishBody(input: { name: "Styrelsen", kind: STYRELSE, seats: 5 }) { id } }';

describe('tokens: who is calling', () => {
  let server: TestServer;
  let key: SigningKey;
  beforeAll(async () => {
    server = await startKansli();
    key = await SigningKey.loadOrCreate(join(server.dataDir, SIGNING_KEY_FILE));
  });
  afterAll(() => server.close());

  const withHeader = (authorization: string) => server.client.withHeaders({ authorization });
  const claims = { roles: ['ADMIN'] };

  it('keeps its signing key in the data folder, readable by its owner only', async () => {
    const { statSync } = await import('node:fs');
    expect(statSync(join(server.dataDir, SIGNING_KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  it('records the token subject as the actor of the events it causes', async () => {
    const ana = await server.as(['ADMIN'], { sub: 'ana.admin@kommun.se' });
    const { establishBody } = await ana.ok<{ establishBody: { id: string } }>(ESTABLISH);
    const { timeline } = await server.admin.ok<{ timeline: { edges: Array<{ node: { actor: string } }> } }>(
      'query($id: ID!) { timeline(filter: { entityId: $id }) { edges { node { actor } } } }',
      { id: establishBody.id },
    );
    expect(timeline.edges.map((e) => e.node.actor)).toEqual(['ana.admin@kommun.se']);
  });

  it('refuses a mutation without a token (UNAUTHENTICATED) and with the wrong role (FORBIDDEN)', async () => {
    expect((await server.client.request(ESTABLISH)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const ledamot = await server.as(['LEDAMOT']);
    expect((await ledamot.request(ESTABLISH)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  const attacks: Array<[string, () => Promise<string>]> = [
    ['a malformed token', async () => 'Bearer not.a.jwt'],
    ['a header that is not a bearer token', async () => 'Basic YWRtaW46YWRtaW4='],
    ['an empty bearer token', async () => 'Bearer '],
    ['an expired token', async () => `Bearer ${await sign(key.privateKey, 'EdDSA', { ...claims, exp: Math.floor(Date.now() / 1000) - 3600 })}`],
    ['a token signed with another key', async () => `Bearer ${await sign((await generateKeyPair('EdDSA', { crv: 'Ed25519' })).privateKey, 'EdDSA', claims)}`],
    ['alg: none', async () => `Bearer ${unsigned({ alg: 'none', typ: 'JWT' }, { ...defaults(), ...claims })}.`],
    ['HS256 signed with the public key as the secret (algorithm confusion)', async () => {
      const publicJwk = await exportJWK(key.publicKey);
      return `Bearer ${await sign(new TextEncoder().encode(JSON.stringify(publicJwk)), 'HS256', claims)}`;
    }],
    ['another issuer', async () => `Bearer ${await sign(key.privateKey, 'EdDSA', { ...claims, iss: 'https://evil.example' })}`],
    ['another audience', async () => `Bearer ${await sign(key.privateKey, 'EdDSA', { ...claims, aud: 'someone-else' })}`],
    ['no subject', async () => `Bearer ${await sign(key.privateKey, 'EdDSA', { ...claims, sub: undefined })}`],
  ];
  it.each(attacks)('refuses %s with UNAUTHENTICATED (HTTP 401), also for reads', async (_, header) => {
    const authorization = await header();
    for (const query of [ESTABLISH, '{ bodies { id } }']) {
      const result = await withHeader(authorization).request(query);
      expect(result.status).toBe(401);
      expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(result.data ?? null).toBeNull();
    }
  });
});

describe('the public view and field-level access', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startKansli();
  });
  afterAll(() => server.close());

  it('shows the public bodies and members, and a meeting only once justerad — no motions, timeline or findings', async () => {
    const board = await establishBoard(server.admin);
    const meetingId = await openQuorateMeeting(server.admin, board);
    await server.admin.ok('mutation($input: RaiseMotionInput!) { raiseMotion(input: $input) { id } }', {
      input: { meetingId, title: 'Ansökan', proposedBy: 'Socialkontoret', clauses: ['att bevilja'] },
    });
    await server.admin.ok('mutation($input: TakeDecisionInput!) { takeDecision(input: $input) { id } }', { input: { meetingId, title: 'Öppnande', clauses: [], outcome: 'NOTERAD' } });
    const publicMeeting = 'query($id: ID!) { meeting(id: $id) { id decisions { paragraph } attendance { role } } }';
    const anonymous = server.client;

    expect((await anonymous.ok<{ bodies: unknown[] }>('{ bodies { name members { person { name } } } }')).bodies).toHaveLength(1);
    expect((await anonymous.ok<{ meeting: unknown }>(publicMeeting, { id: meetingId })).meeting).toBeNull();
    const list = await anonymous.ok<{ body: { meetings: { edges: unknown[] } } }>('query($id: ID!) { body(id: $id) { meetings { edges { node { id } } } } }', { id: board.bodyId });
    expect(list.body.meetings.edges).toEqual([]);

    await server.admin.ok('mutation($input: AppointJusterareInput!) { appointJusterare(input: $input) { id } }', { input: { meetingId, personIds: [board.members[1]] } });
    await server.admin.ok('mutation($input: JusteraProtocolInput!) { justeraProtocol(input: $input) { status } }', {
      input: { meetingId, justeradAt: '2018-06-14', signatoryIds: [board.members[0], board.members[1]] },
    });
    expect((await anonymous.ok<{ meeting: { decisions: unknown[] } }>(publicMeeting, { id: meetingId })).meeting.decisions).toEqual([{ paragraph: 1 }]);

    for (const query of [
      `{ meeting(id: "${meetingId}") { motions { title } } }`,
      `{ meeting(id: "${meetingId}") { decisions { motions { title } } } }`,
      `{ meeting(id: "${meetingId}") { protocol { findings { rule } } } }`,
      `{ complianceFindings(bodyId: "${board.bodyId}") { rule } }`,
      '{ timeline { edges { node { type } } } }',
    ]) {
      const result = await anonymous.request(query);
      expect({ query, code: result.errors?.[0].extensions?.code }).toEqual({ query, code: 'UNAUTHENTICATED' });
    }
    const ledamot = await server.as(['LEDAMOT']);
    for (const query of [`{ complianceFindings(bodyId: "${board.bodyId}") { rule } }`, `{ meeting(id: "${meetingId}") { protocol { findings { rule } } } }`, '{ timeline { edges { node { type } } } }']) {
      expect((await ledamot.request(query)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect((await ledamot.ok<{ meeting: { motions: unknown[] } }>(`{ meeting(id: "${meetingId}") { motions { title } } }`)).meeting.motions).toHaveLength(1);
  });
});

describe('digital justering (signProtocol)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startKansli();
  });
  afterAll(() => server.close());

  const SIGN = 'mutation($input: SignProtocolInput!) { signProtocol(input: $input) { status justeradAt signatories { name } } }';

  it('is justerad when the chair and every appointed justerare have signed with their own tokens', async () => {
    const board = await establishBoard(server.admin);
    const [chair, justerare, other] = board.members;
    const meetingId = await openQuorateMeeting(server.admin, board);
    await server.admin.ok('mutation($input: AppointJusterareInput!) { appointJusterare(input: $input) { id } }', { input: { meetingId, personIds: [justerare] } });
    const as = (personId: string | undefined) => server.as(['LEDAMOT'], { sub: `ledamot-${personId}`, personId });

    const outsider = await (await as(other)).request(SIGN, { input: { meetingId, signedAt: '2018-06-15' } });
    expect(outsider.errors?.[0]).toMatchObject({ extensions: { code: 'RULE_VIOLATION', rule: 'R5' } });
    const forSomeoneElse = await (await as(other)).request(SIGN, { input: { meetingId, signedAt: '2018-06-15', personId: chair } });
    expect(forSomeoneElse.errors?.[0]).toMatchObject({ extensions: { code: 'RULE_VIOLATION', rule: 'R5' } });
    const nobody = await (await as(undefined)).request(SIGN, { input: { meetingId, signedAt: '2018-06-15' } });
    expect(nobody.errors?.[0]).toMatchObject({ extensions: { code: 'RULE_VIOLATION', rule: 'R5' } });
    const secretary = await server.as(['SEKRETERARE'], { personId: chair });
    expect((await secretary.request(SIGN, { input: { meetingId, signedAt: '2018-06-15' } })).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const first = await (await as(chair)).ok<{ signProtocol: { status: string } }>(SIGN, { input: { meetingId, signedAt: '2018-06-15' } });
    expect(first.signProtocol.status).toBe('DRAFT');
    const last = await (await as(justerare)).ok<{ signProtocol: unknown }>(SIGN, { input: { meetingId, signedAt: '2018-06-18' } });
    expect(last.signProtocol).toEqual({ status: 'JUSTERAD', justeradAt: '2018-06-18', signatories: [{ name: 'Bertil Almgren' }, { name: 'Kenneth Andersson' }] });
  });
});

describe('limits that keep one client from hurting others', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startKansli({ KANSLI_RATE_LIMIT: '40', KANSLI_INTROSPECTION: 'false', KANSLI_MAX_BODY_BYTES: '65536' });
  });
  afterAll(() => server.close());

  it('refuses a deeply nested query and a huge one before they run', async () => {
    const deep = `{ bodies { meetings { edges { node { body { meetings { edges { node { body { meetings { edges { node { body { id } } } } } } } } } } } } } }`;
    const result = await server.admin.request(deep);
    expect(result.errors?.[0].message).toMatch(/nests \d+ levels deep; at most 12/);
    const aliases = Array.from({ length: 1000 }, (_, i) => `b${i}: bodies { ...B }`).join(' ');
    const huge = await server.admin.request(`{ ${aliases} } fragment B on Body { id name kind seats members { id role from to person { id name } } }`);
    expect(huge.errors?.[0].message).toMatch(/would select about \d+ fields; at most 10000/);
  });

  it('refuses a request body over the limit with HTTP 413, and introspection when switched off', async () => {
    const body = JSON.stringify({ query: `{ bodies { id } }`, variables: { padding: 'x'.repeat(70_000) } });
    const url = server.client.url;
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(413);
    expect(await response.text()).not.toMatch(/at .*\.js|stack/i);
    const introspection = await server.admin.request('{ __schema { types { name } } }');
    expect(introspection.errors?.[0].message).toMatch(/introspection/i);
  });

  it('answers TOO_MANY_REQUESTS once a token has used its requests for the minute, without hurting other tokens', async () => {
    const greedy = await server.as(['LEDAMOT'], { sub: 'greedy' });
    const codes: Array<string | undefined> = [];
    for (let i = 0; i < 45; i++) codes.push((await greedy.request('{ bodies { id } }')).errors?.[0].extensions?.code);
    expect(codes.slice(0, 40).every((code) => code === undefined)).toBe(true);
    expect(codes.at(-1)).toBe('TOO_MANY_REQUESTS');
    const other = await server.as(['LEDAMOT'], { sub: 'polite' });
    expect((await other.request('{ bodies { id } }')).errors).toBeUndefined();
  });
});

describe('behind a reverse proxy (KANSLI_TRUST_PROXY=1)', () => {
  it("counts the public's requests per forwarded address, not per proxy", async () => {
    const server = await startKansli({ KANSLI_RATE_LIMIT: '5', KANSLI_TRUST_PROXY: '1' });
    try {
      const from = (address: string) => server.client.withHeaders({ 'x-forwarded-for': address });
      const codes = async (client: ReturnType<typeof from>, times: number) => {
        const seen: Array<string | undefined> = [];
        for (let i = 0; i < times; i++) seen.push((await client.request('{ bodies { id } }')).errors?.[0].extensions?.code);
        return seen;
      };
      expect(await codes(from('198.51.100.7'), 6)).toEqual([undefined, undefined, undefined, undefined, undefined, 'TOO_MANY_REQUESTS']);
      // Another caller through the same proxy has requests of its own.
      expect(await codes(from('203.0.113.9'), 1)).toEqual([undefined]);
    } finally {
      await server.close();
    }
  });
});

describe('OIDC: tokens from an issuer, checked against its JWKS', () => {
  let jwks: Server;
  let server: TestServer;
  let keys: Array<{ kid: string; privateKey: KeyLike; publicKey: KeyLike }>;
  let fetches = 0;
  const issuer = 'https://login.kommun.example/realms/kansli';

  beforeAll(async () => {
    keys = [{ kid: 'k1', ...(await generateKeyPair('RS256')) }];
    jwks = createServer(async (_, response) => {
      fetches += 1;
      const published = await Promise.all(keys.map(async ({ kid, publicKey }) => ({ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' })));
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as { port: number };
    server = await startKansli({
      KANSLI_OIDC_JWKS_URL: `http://127.0.0.1:${port}/certs`,
      KANSLI_OIDC_ISSUER: issuer,
      KANSLI_OIDC_AUDIENCE: 'kansli-api',
      KANSLI_OIDC_ROLES_CLAIM: 'realm_access.roles',
    });
  });
  afterAll(async () => {
    await server.close();
    await new Promise((resolve) => jwks.close(resolve));
  });

  const token = (kid: string, privateKey: KeyLike, overrides: Record<string, unknown> = {}) =>
    new SignJWT({ realm_access: { roles: ['ADMIN'] }, ...overrides })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject('oidc-user')
      .setIssuer((overrides.iss as string) ?? issuer)
      .setAudience((overrides.aud as string) ?? 'kansli-api')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);

  it('accepts the issuer\'s tokens, caches its keys, fetches again for a new key, and refuses the wrong audience', async () => {
    const client = server.client.withToken(await token('k1', keys[0].privateKey));
    await client.ok(ESTABLISH);
    await client.ok('{ bodies { id } }');
    expect(fetches).toBe(1);

    keys.push({ kid: 'k2', ...(await generateKeyPair('RS256')) });
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the JWKS is fetched at most once a second
    await server.client.withToken(await token('k2', keys[1].privateKey)).ok('{ bodies { id } }');
    expect(fetches).toBe(2);

    const wrongAudience = await server.client.withToken(await token('k1', keys[0].privateKey, { aud: 'another-app' })).request('{ bodies { id } }');
    expect(wrongAudience.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const wrongIssuer = await server.client.withToken(await token('k1', keys[0].privateKey, { iss: 'https://evil.example' })).request('{ bodies { id } }');
    expect(wrongIssuer.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const noRoles = server.client.withToken(await token('k1', keys[0].privateKey, { realm_access: { roles: ['SOMETHING_ELSE'] } }));
    expect((await noRoles.request(ESTABLISH)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

function defaults() {
  const now = Math.floor(Date.now() / 1000);
  return { sub: 'attacker', iss: 'urn:kansli:embedded', aud: 'kansli', iat: now, exp: now + 600 };
}

function sign(key: KeyLike | Uint8Array, alg: string, claims: Record<string, unknown>): Promise<string> {
  const payload = { ...defaults(), ...claims };
  for (const name of Object.keys(payload)) if ((payload as Record<string, unknown>)[name] === undefined) delete (payload as Record<string, unknown>)[name];
  return new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT' }).sign(key);
}

function unsigned(header: object, payload: object): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode(header)}.${encode(payload)}`;
}

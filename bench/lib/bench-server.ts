import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIGNING_KEY_FILE, SigningKey, type Role } from '@kansli/auth';

/** The real server (bench/api-server.ts) in a child process, on a fresh durable embedded store. */
export interface BenchServer {
  url: string;
  dataDir: string;
  child: ChildProcess;
  /** `Bearer <token>` of an ADMIN and SEKRETERARE signed with the server's key. */
  authorization: string;
  /** Sends the server a message and waits for its answer under `key`. */
  ask(message: object, key: string): Promise<unknown>;
  /** One GraphQL request that must succeed: its data, or an error with the GraphQL errors. */
  gql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Stops the server and removes its data. */
  stop(): Promise<void>;
}

/**
 * `dataDir`: a data folder to run on (kept on stop); without it a fresh one (removed on stop). `env`: more
 * configuration for the server. `roles`: of the token `gql` sends (default ADMIN and SEKRETERARE).
 */
export async function startBenchServer(options: { name: string; execArgv?: string[]; dataDir?: string; env?: Record<string, string>; roles?: Role[] }): Promise<BenchServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), `kansli-bench-${options.name}-`));
  const child = fork(join(__dirname, '..', 'api-server.js'), [], {
    execArgv: options.execArgv ?? process.execArgv,
    // One token drives the whole load: lift the per-token rate limit, which would otherwise answer 429.
    env: { ...process.env, KANSLI_DATA_DIR: dataDir, KANSLI_RATE_LIMIT: '1000000', ...options.env },
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  // Authentication is on, as in production: every request carries a token signed with the server's key.
  const key = await SigningKey.loadOrCreate(join(dataDir, SIGNING_KEY_FILE));
  const authorization = `Bearer ${await key.sign({ sub: 'bench', roles: options.roles ?? ['ADMIN', 'SEKRETERARE'] }, 24 * 3600)}`;

  const ask = (message: object, answerKey: string) =>
    new Promise<unknown>((resolve) => {
      const listener = (answer: Record<string, unknown>) => {
        if (answerKey in answer) {
          child.off('message', listener);
          resolve(answer[answerKey]);
        }
      };
      child.on('message', listener);
      child.send(message);
    });

  const gql = async <T>(query: string, variables?: Record<string, unknown>): Promise<T> => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: T; errors?: unknown };
    if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };

  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };

  return { url, dataDir, child, authorization, ask, gql, stop };
}

export interface BenchBoard {
  bodyId: string;
  /** The ordförande first, then two ledamöter. */
  members: string[];
}

type Gql = BenchServer['gql'];

/** A board of five seats with three ledamöter (the first is ordförande): quorate when all three attend. */
export async function establishBoard(gql: Gql, name: string): Promise<BenchBoard> {
  const { establishBody } = await gql<{ establishBody: { id: string } }>('mutation($input: EstablishBodyInput!) { establishBody(input: $input) { id } }', {
    input: { name, kind: 'NAMND', seats: 5 },
  });
  const members: string[] = [];
  for (const [personName, position] of [['Ordförande', 'ORDFORANDE'], ['Ledamot A', null], ['Ledamot B', null]] as const) {
    const { appointMember } = await gql<{ appointMember: { person: { id: string } } }>('mutation($input: AppointMemberInput!) { appointMember(input: $input) { person { id } } }', {
      input: { bodyId: establishBody.id, personName: `${personName}, ${name}`, role: 'LEDAMOT', position, from: '2018-01-01' },
    });
    members.push(appointMember.person.id);
  }
  return { bodyId: establishBody.id, members };
}

/** A meeting of the board, scheduled and opened at `start`, with its three ledamöter present. */
export async function openQuorateMeeting(gql: Gql, board: BenchBoard, start: string): Promise<string> {
  const { scheduleMeeting } = await gql<{ scheduleMeeting: { id: string } }>('mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }', {
    input: { bodyId: board.bodyId, start },
  });
  await gql('mutation($input: OpenMeetingInput!) { openMeeting(input: $input) { id } }', { input: { meetingId: scheduleMeeting.id, at: start } });
  for (const personId of board.members) {
    await gql('mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { id } }', { input: { meetingId: scheduleMeeting.id, personId, role: 'BESLUTANDE' } });
  }
  return scheduleMeeting.id;
}

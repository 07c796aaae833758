import { hash as sha256Once } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { openCheckpoint, readCheckpointNote } from './checkpoint';
import { HASH_BYTES, TreeBuilder } from './merkle';
import { fileChunks } from './file-chunks';
import { keyIdHex, NoteError, parseNote, parseVerifierKey, type NoteVerifier } from './signed-note';

/**
 * The audit export: JSON Lines, one file, everything an auditor needs to check the log with no server and no
 * database.
 *
 *   {"format":"kansli-audit-export/1","origin":…,"publicKey":<verifier key>,"treeSize":n,"exportedAt":…}
 *   {"leaf":0,"hash":"<base64 leaf hash the log recorded>","event":<the event's canonical JSON>}
 *   …                                            one line per event, in log order
 *   {"checkpoint":"<signed note>"}               right after the event that completes its tree
 *   {"end":{"events":n,"checkpoints":m}}
 *
 * An event line holds the event's leaf bytes verbatim (RFC 8785 canonical JSON of id, stream, revision, type,
 * data, metadata, recordedAt), so the verifier hashes them as they stand, and the leaf hash the log's tree
 * recorded when the event was appended, so that a changed event is named exactly: its bytes no longer hash to
 * the hash beside it. Only signed checkpoints are trusted: the recorded hashes are checked against them (the
 * tree they build must have each checkpoint's root), and the leaves are rebuilt from the bytes.
 */
export const EXPORT_FORMAT = 'kansli-audit-export/1';

export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  origin: string;
  /** The log's verifier key (C2SP vkey). */
  publicKey: string;
  /** Leaves in the log's tree when the export began: the events that follow. */
  treeSize: number;
  exportedAt: string;
}

export function headerLine(header: Omit<ExportHeader, 'format'>): string {
  const { origin, publicKey, treeSize, exportedAt } = header;
  return JSON.stringify({ format: EXPORT_FORMAT, origin, publicKey, treeSize, exportedAt });
}

/** An event's line: its index, the leaf hash the tree recorded, its canonical JSON as it stands. */
export function eventLine(leaf: number, recordedHash: Buffer, canonicalEvent: string): string {
  return `{"leaf":${leaf},"hash":"${recordedHash.toString('base64')}","event":${canonicalEvent}}`;
}

export function checkpointLine(note: string): string {
  return JSON.stringify({ checkpoint: note });
}

export function endLine(events: number, checkpoints: number): string {
  return JSON.stringify({ end: { events, checkpoints } });
}

/** What is wrong, and where: the line of the file, and the first leaf that cannot be vouched for. */
export interface VerifyProblem {
  /** 1-based line of the export. */
  line: number;
  /** The first bad leaf. */
  leaf?: number;
  /** When the change cannot be pinned to one leaf: the last leaf it may be in. */
  lastLeaf?: number;
  eventId?: string;
  message: string;
}

export type VerifyReport =
  | {
      ok: true;
      origin: string;
      publicKey: string;
      events: number;
      checkpoints: number;
      /** The largest signed tree: every leaf below its size is vouched for. */
      lastCheckpoint?: { size: number; root: string };
      /** Events after the last checkpoint: in the export, but not yet under a signature. */
      unsigned: number;
    }
  | { ok: false; problem: VerifyProblem };

export interface VerifyOptions {
  /** The log's verifier key the auditor trusts (C2SP vkey); without it, the key in the export's header. */
  key?: string;
  /** Called every `progressEvery` events. */
  onProgress?: (events: number) => void;
  progressEvery?: number;
}

const EVENT_PREFIX = Buffer.from('{"leaf":');
const HASH_PART = Buffer.from(',"hash":"');
const EVENT_PART = Buffer.from('","event":');
const BASE64_HASH_LENGTH = 44;
const COLON = 0x3a;
const CLOSE = 0x7d;

class Problem extends Error {
  constructor(readonly problem: VerifyProblem) {
    super(problem.message);
  }
}

/**
 * Checks an audit export (the file's bytes, in chunks of any size), in constant memory: each event's bytes
 * against the leaf hash recorded beside it, the tree those leaves build against every signed checkpoint, each
 * checkpoint's signature against the log's key, and that nothing is missing, added or out of place. Stops at the
 * first problem and says where it is. The lines are split and checked synchronously, chunk by chunk.
 */
export async function verifyAuditExport(chunks: AsyncIterable<Buffer | string>, options: VerifyOptions = {}): Promise<VerifyReport> {
  const verifier = new ExportVerifier(options);
  try {
    let pieces: Buffer[] = [];
    for await (const chunk of chunks) {
      const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      let from = 0;
      for (let at = data.indexOf(0x0a, from); at >= 0; at = data.indexOf(0x0a, from)) {
        if (pieces.length > 0) {
          pieces.push(data.subarray(from, at));
          verifier.line(Buffer.concat(pieces));
          pieces = [];
        } else {
          verifier.line(data.subarray(from, at));
        }
        from = at + 1;
      }
      // The rest of the chunk starts the next line: copied, as the source may reuse its buffer.
      if (from < data.length) pieces.push(Buffer.from(data.subarray(from)));
    }
    if (pieces.length > 0) verifier.line(Buffer.concat(pieces));
    return verifier.finish();
  } catch (error) {
    if (error instanceof Problem) return { ok: false, problem: error.problem };
    throw error;
  }
}

class ExportVerifier {
  private lineNumber = 0;
  private header?: ExportHeader;
  private key?: NoteVerifier;
  private readonly tree = new TreeBuilder();
  private checkpoints = 0;
  /** Size of the last checkpoint that verified: the leaves below it are vouched for. */
  private vouched = 0;
  private lastCheckpoint?: { size: number; root: string };
  private ended = false;
  private readonly progressEvery: number;

  constructor(private readonly options: VerifyOptions) {
    this.progressEvery = options.progressEvery ?? 100_000;
  }

  /**
   * Checks one line. `leaf`, when given, is the hash of its event's leaf bytes computed elsewhere (a worker), and
   * `parsed` the line's layout as read there.
   */
  line(line: Buffer, leaf?: Buffer, parsed?: ParsedEventLine): void {
    this.lineNumber += 1;
    if (line.length === 0) throw this.problem({ message: 'an empty line: an export has none' });
    if (this.ended) throw this.problem({ message: 'a line after the end line: the file was added to' });
    if (!this.header) {
      this.readHeader(line);
      return;
    }
    if (parsed || line.subarray(0, EVENT_PREFIX.length).equals(EVENT_PREFIX)) {
      this.readEvent(line, leaf, parsed);
      return;
    }
    this.readOther(line);
  }

  finish(): VerifyReport {
    if (!this.header) throw this.problem({ message: 'the file is empty: not an audit export' });
    if (!this.ended) {
      throw this.problem({
        leaf: this.tree.size,
        message: `the export is cut short after ${this.tree.size} events: it has no end line${this.tree.size < this.header.treeSize ? ` and the log held ${this.header.treeSize}` : ''}`,
      });
    }
    return {
      ok: true,
      origin: this.header.origin,
      publicKey: this.header.publicKey,
      events: this.tree.size,
      checkpoints: this.checkpoints,
      lastCheckpoint: this.lastCheckpoint,
      unsigned: this.tree.size - this.vouched,
    };
  }

  private readHeader(line: Buffer): void {
    const value = this.json(line, 'the first line');
    const header = value as Partial<ExportHeader> | null;
    if (header === null || typeof header !== 'object' || header.format !== EXPORT_FORMAT) {
      throw this.problem({ message: `the first line is not the header of an audit export (${EXPORT_FORMAT})` });
    }
    if (typeof header.origin !== 'string' || typeof header.publicKey !== 'string' || !Number.isSafeInteger(header.treeSize) || header.treeSize! < 0) {
      throw this.problem({ message: 'the header lacks the origin, the public key or the tree size' });
    }
    let key: NoteVerifier;
    try {
      key = parseVerifierKey(header.publicKey);
    } catch (error) {
      throw this.problem({ message: `the header's public key: ${(error as Error).message}` });
    }
    if (this.options.key !== undefined) {
      let trusted: NoteVerifier;
      try {
        trusted = parseVerifierKey(this.options.key);
      } catch (error) {
        throw this.problem({ message: `the key given to check against: ${(error as Error).message}` });
      }
      if (trusted.encoded !== key.encoded) {
        throw this.problem({ message: `the export names the key ${key.encoded}, not the key you trust (${trusted.encoded}): it is not that log's export, or was re-signed` });
      }
    }
    if (key.name !== header.origin) throw this.problem({ message: `the header's key is named ${key.name}, its origin is ${header.origin}: they must be the same` });
    this.header = header as ExportHeader;
    this.key = key;
  }

  private readEvent(line: Buffer, hashed?: Buffer, layout?: ParsedEventLine): void {
    const expected = this.tree.size;
    const parsed = layout ?? parseEventLine(line);
    if (!parsed) {
      // Not the exact layout: read it as JSON to say what it is.
      const value = this.json(line, `the line after leaf ${expected - 1}`, expected);
      throw this.problem({ leaf: expected, eventId: eventIdOf(value), message: 'an event line not in the export\'s layout: the file was edited' });
    }
    if (parsed.leaf !== expected) {
      // A number seen before: the line before it with that number, or this one, is not the log's.
      const leaf = Math.min(parsed.leaf, expected);
      const what =
        parsed.leaf > expected
          ? `leaf ${expected} is missing: the line after leaf ${expected - 1} is leaf ${parsed.leaf} (events deleted or moved)`
          : `leaf ${parsed.leaf} comes again after leaf ${expected - 1} (an event inserted, repeated or moved)`;
      throw this.problem({ leaf, eventId: this.eventIdAt(line, parsed), message: what });
    }
    if (this.header && expected >= this.header.treeSize) {
      throw this.problem({ leaf: expected, eventId: this.eventIdAt(line, parsed), message: `leaf ${expected} is beyond the ${this.header.treeSize} leaves the header announces: an event was added` });
    }
    const leaf = hashed ?? leafOfLine(line, parsed.start);
    if (!leaf.equals(parsed.recorded)) {
      throw this.problem({
        leaf: expected,
        eventId: this.eventIdAt(line, parsed),
        message: `the event is not what the log recorded: its bytes hash to ${leaf.toString('base64')}, the log's tree recorded ${parsed.recorded.toString('base64')} when it was appended (changed data, metadata, date, type or place, or another event in its place)`,
      });
    }
    this.tree.append(leaf);
    if (this.options.onProgress && this.tree.size % this.progressEvery === 0) this.options.onProgress(this.tree.size);
  }

  private readOther(line: Buffer): void {
    const value = this.json(line, `line ${this.lineNumber}`, this.tree.size) as Record<string, unknown> | null;
    if (value !== null && typeof value === 'object' && typeof value.checkpoint === 'string') {
      this.readCheckpoint(value.checkpoint);
      return;
    }
    if (value !== null && typeof value === 'object' && value.end !== null && typeof value.end === 'object') {
      this.readEnd(value.end as { events?: unknown; checkpoints?: unknown });
      return;
    }
    if (value !== null && typeof value === 'object' && value.format !== undefined) {
      const origin = typeof value.origin === 'string' ? ` of ${value.origin}` : '';
      throw this.problem({ leaf: this.tree.size, message: `a second export header${origin}: this file mixes exports (of different installations, or twice of one)` });
    }
    throw this.problem({ leaf: this.tree.size, message: 'a line that is neither an event, a checkpoint nor the end: the file was edited' });
  }

  private readCheckpoint(note: string): void {
    const size = this.tree.size;
    let claimed;
    try {
      claimed = readCheckpointNote(note);
    } catch (error) {
      throw this.problem({ leaf: this.vouched, message: `a checkpoint that is not a signed checkpoint: ${(error as Error).message}` });
    }
    if (claimed.origin !== this.header!.origin) {
      throw this.problem({ leaf: this.vouched, message: `a checkpoint of ${claimed.origin}, in the export of ${this.header!.origin}: this file mixes installations` });
    }
    if (!this.signedByLog(note)) {
      const by = parseNote(note).signatures.map((signature) => `${signature.name} (key ID ${keyIdHex(signature.keyId)})`).join(', ');
      throw this.problem({
        leaf: this.vouched,
        lastLeaf: Math.max(this.vouched, Math.min(claimed.size, size) - 1),
        message: `the checkpoint of ${claimed.size} leaves is not signed by the log's key ${this.key!.encoded} (signed by ${by}): leaves from ${this.vouched} on are not vouched for by it`,
      });
    }
    if (claimed.size > size) {
      throw this.problem({ leaf: size, message: `the log ends at leaf ${size - 1} (${size} events) but a checkpoint signed a tree of ${claimed.size} leaves: leaves ${size}–${claimed.size - 1} are missing (the log was cut short)` });
    }
    if (claimed.size < size) {
      throw this.problem({ leaf: claimed.size, message: `the checkpoint of ${claimed.size} leaves comes after ${size} events, not right after its last leaf: events were added before it` });
    }
    const root = this.tree.root();
    if (!root.equals(claimed.root)) {
      // Every event so far matched the hash beside it (or we would have stopped there): both were rewritten.
      throw this.problem({
        leaf: this.vouched,
        lastLeaf: size - 1,
        message:
          `the events do not build the root the checkpoint of ${size} leaves signed, yet each matches the leaf hash beside it: ` +
          `events and hashes were rewritten together (the tree recomputed); the change is among leaves ${this.vouched}–${size - 1}, after the last checkpoint that holds (${this.vouched} leaves)`,
      });
    }
    this.checkpoints += 1;
    this.vouched = size;
    this.lastCheckpoint = { size, root: root.toString('base64') };
  }

  private readEnd(end: { events?: unknown; checkpoints?: unknown }): void {
    if (end.events !== this.tree.size || end.checkpoints !== this.checkpoints) {
      throw this.problem({ leaf: Math.min(this.tree.size, Number(end.events) || 0), message: `the end line counts ${String(end.events)} events and ${String(end.checkpoints)} checkpoints; the file holds ${this.tree.size} and ${this.checkpoints}` });
    }
    if (this.tree.size < this.header!.treeSize) {
      throw this.problem({ leaf: this.tree.size, message: `the export has ${this.tree.size} events but the log's tree held ${this.header!.treeSize} leaves: leaves ${this.tree.size}–${this.header!.treeSize - 1} are missing` });
    }
    this.ended = true;
  }

  private signedByLog(note: string): boolean {
    try {
      openCheckpoint(note, this.key!);
      return true;
    } catch (error) {
      if (error instanceof NoteError) return false;
      throw error;
    }
  }

  private json(line: Buffer, what: string, leaf?: number): unknown {
    try {
      return JSON.parse(line.toString('utf8'));
    } catch {
      const cut = line[0] === 0x7b && line[line.length - 1] !== CLOSE;
      throw this.problem({ leaf, message: `${what} is not JSON${cut ? ' (cut short?)' : ''}: not an intact audit export` });
    }
  }

  private eventIdAt(line: Buffer, parsed: ParsedEventLine): string | undefined {
    try {
      return eventIdOf(JSON.parse(line.subarray(parsed.start, line.length - 1).toString('utf8')));
    } catch {
      return undefined;
    }
  }

  private problem(problem: Omit<VerifyProblem, 'line'>): Problem {
    return new Problem({ line: this.lineNumber, ...problem });
  }
}

/**
 * The leaf hash of an event line's bytes, H(0x00 || bytes): the byte before the event's JSON (the colon of
 * "event":) becomes the 0x00 prefix for the hash, and is put back.
 */
function leafOfLine(line: Buffer, start: number): Buffer {
  const prefixAt = start - 1;
  line[prefixAt] = 0x00;
  const leaf = sha256Once('sha256', line.subarray(prefixAt, line.length - 1), 'buffer') as unknown as Buffer;
  line[prefixAt] = COLON;
  return leaf;
}

interface ParsedEventLine {
  leaf: number;
  recorded: Buffer;
  /** Where the event's JSON starts; it ends before the line's last byte. */
  start: number;
}

/** `{"leaf":<n>,"hash":"<44 base64>","event":<json>}`, read without parsing the JSON; undefined if not exactly that. */
function parseEventLine(line: Buffer): ParsedEventLine | undefined {
  let at = EVENT_PREFIX.length;
  let leaf = 0;
  const digits = at;
  while (at < line.length && line[at] >= 0x30 && line[at] <= 0x39 && at - digits < 16) leaf = leaf * 10 + (line[at++] - 0x30);
  if (at === digits || (line[digits] === 0x30 && at - digits > 1)) return undefined;
  if (!line.subarray(at, at + HASH_PART.length).equals(HASH_PART)) return undefined;
  at += HASH_PART.length;
  const recorded = Buffer.from(line.toString('latin1', at, at + BASE64_HASH_LENGTH), 'base64');
  if (recorded.length !== HASH_BYTES) return undefined;
  at += BASE64_HASH_LENGTH;
  if (!line.subarray(at, at + EVENT_PART.length).equals(EVENT_PART)) return undefined;
  at += EVENT_PART.length;
  if (line[line.length - 1] !== CLOSE || at >= line.length - 1) return undefined;
  return { leaf, recorded, start: at };
}

function eventIdOf(value: unknown): string | undefined {
  const record = value as { id?: unknown; event?: { id?: unknown } } | null;
  const id = record?.event?.id ?? record?.id;
  return typeof id === 'string' ? id : undefined;
}

/** Files smaller than this are checked on one thread: a worker would cost more than it saves. */
const PARALLEL_ABOVE = 16 << 20;
const CHUNK = 4 << 20;

/**
 * `verifyAuditExport` of a file. On a machine with more than one core and a file over 16 MiB, the events' leaf
 * hashes (the bulk of the work) are computed on a worker thread while this thread reads, splits and checks the
 * lines and builds the tree: the same checks in the same order, the same report.
 */
export async function verifyAuditExportFile(file: string, options: VerifyOptions & { parallelAbove?: number; chunkBytes?: number } = {}): Promise<VerifyReport> {
  const size = statSync(file).size;
  const chunkBytes = options.chunkBytes ?? CHUNK;
  if (availableParallelism() < 2 || size <= (options.parallelAbove ?? PARALLEL_ABOVE)) return verifyAuditExport(fileChunks(file, chunkBytes), options);
  const verifier = new ExportVerifier(options);
  const hasher = new LeafHasher();
  const fd = openSync(file, 'r');
  // Two chunks are in flight at most (one hashed, one read): three buffers of shared memory, used in turn.
  const buffers = Array.from({ length: 3 }, () => Buffer.from(new SharedArrayBuffer(chunkBytes)));
  let turn = 0;
  try {
    let pieces: Buffer[] = [];
    /** Reads and splits one chunk and sends its events' leaf bytes to the worker. */
    const prepare = (): PreparedChunk | undefined => {
      const chunk = buffers[turn++ % buffers.length];
      const read = readSync(fd, chunk, 0, chunkBytes, null);
      if (read === 0) return undefined;
      const lines: Buffer[] = [];
      const layouts: Array<ParsedEventLine | undefined> = [];
      const starts = new Int32Array(Math.ceil(read / 64));
      const ends = new Int32Array(starts.length);
      let events = 0;
      let from = 0;
      for (let at = chunk.indexOf(0x0a, from); at >= 0 && at < read; at = chunk.indexOf(0x0a, from)) {
        if (pieces.length > 0) {
          pieces.push(chunk.subarray(from, at));
          lines.push(Buffer.concat(pieces));
          layouts.push(undefined);
          pieces = [];
        } else {
          const line = chunk.subarray(from, at);
          // An event line (`{"leaf":…`) in the exact layout is hashed by the worker; any other line here.
          const layout = line[1] === 0x22 && line[2] === 0x6c && events < starts.length ? parseEventLine(line) : undefined;
          if (layout) {
            starts[events] = from + layout.start - 1;
            ends[events] = at - 1;
            events += 1;
          }
          lines.push(line);
          layouts.push(layout);
        }
        from = at + 1;
      }
      if (from < read) pieces.push(Buffer.from(chunk.subarray(from, read)));
      // The colon before each event's JSON becomes its leaf's 0x00 prefix, for the worker to hash in place.
      for (let i = 0; i < events; i++) chunk[starts[i]] = 0x00;
      return { lines, layouts, starts, events, hashes: hasher.hash(chunk.buffer as SharedArrayBuffer, starts.subarray(0, events), ends.subarray(0, events)) };
    };
    const check = async (prepared: PreparedChunk) => {
      const hashes = await prepared.hashes;
      let next = 0;
      for (let index = 0; index < prepared.lines.length; index++) {
        const line = prepared.lines[index];
        const layout = prepared.layouts[index];
        if (layout) {
          // The buffer starts at offset 0 of its shared memory: a line's byteOffset is its place in the chunk.
          line[prepared.starts[next] - line.byteOffset] = COLON;
          verifier.line(line, hashes.subarray(next * HASH_BYTES, (next + 1) * HASH_BYTES), layout);
          next += 1;
        } else {
          verifier.line(line);
        }
      }
    };
    let current = prepare();
    while (current) {
      const following = prepare();
      await check(current);
      current = following;
    }
    if (pieces.length > 0) verifier.line(Buffer.concat(pieces));
    return verifier.finish();
  } catch (error) {
    if (error instanceof Problem) return { ok: false, problem: error.problem };
    throw error;
  } finally {
    closeSync(fd);
    await hasher.close();
  }
}

interface PreparedChunk {
  lines: Buffer[];
  /** Each line's layout when it is an event line the worker hashes. */
  layouts: Array<ParsedEventLine | undefined>;
  /** Where the hashed events' leaf bytes start in the chunk, in order. */
  starts: Int32Array;
  events: number;
  hashes: Promise<Buffer>;
}

/** The worker's whole program: SHA-256 of byte ranges of a shared chunk, the hashes back in one buffer. */
const LEAF_HASHER = `
const { parentPort } = require('node:worker_threads');
const { hash } = require('node:crypto');
parentPort.on('message', ({ id, chunk, starts, ends }) => {
  const bytes = Buffer.from(chunk);
  const out = new Uint8Array(starts.length * 32);
  for (let i = 0; i < starts.length; i++) out.set(hash('sha256', bytes.subarray(starts[i], ends[i]), 'buffer'), i * 32);
  parentPort.postMessage({ id, out }, [out.buffer]);
});
`;

class LeafHasher {
  private readonly worker = new Worker(LEAF_HASHER, { eval: true });
  private readonly waiting = new Map<number, { resolve: (hashes: Buffer) => void; reject: (error: unknown) => void }>();
  private nextId = 0;

  constructor() {
    this.worker.on('message', ({ id, out }: { id: number; out: Uint8Array }) => {
      const waiter = this.waiting.get(id);
      this.waiting.delete(id);
      waiter?.resolve(Buffer.from(out.buffer, out.byteOffset, out.byteLength));
    });
    this.worker.on('error', (error) => {
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    });
  }

  hash(chunk: SharedArrayBuffer, starts: Int32Array, ends: Int32Array): Promise<Buffer> {
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, chunk, starts, ends });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

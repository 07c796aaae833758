import { HASH_BYTES } from './merkle';
import { assertKeyName, NoteError, openNote, parseNote, signNote, type NoteSigner, type NoteVerifier } from './signed-note';

/**
 * A C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): the note text `<origin>\n<size>\n<base64 root>\n`, signed
 * as a signed note by the log's key, whose name is the origin.
 */
export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
}

export function checkpointText({ origin, size, root }: Checkpoint): string {
  assertKeyName(origin, 'an origin');
  if (!Number.isSafeInteger(size) || size < 0) throw new NoteError(`a tree size is a whole number ≥ 0, got ${size}`);
  if (root.length !== HASH_BYTES) throw new NoteError(`a root hash is ${HASH_BYTES} bytes`);
  return `${origin}\n${size}\n${root.toString('base64')}\n`;
}

/** Parses a checkpoint's note text (extension lines are allowed and ignored). */
export function parseCheckpointText(text: string): Checkpoint {
  const lines = text.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '') throw new NoteError('a checkpoint is at least three lines: origin, size, root hash');
  const [origin, size, root] = lines;
  assertKeyName(origin, 'the origin');
  if (!/^(0|[1-9][0-9]{0,15})$/.test(size) || !Number.isSafeInteger(Number(size))) {
    throw new NoteError(`the checkpoint's size ${JSON.stringify(size)} is not a decimal without leading zeros`);
  }
  const hash = Buffer.from(root, 'base64');
  if (hash.length !== HASH_BYTES || hash.toString('base64') !== root) throw new NoteError(`the checkpoint's root ${JSON.stringify(root)} is not the base64 of a SHA-256 hash`);
  if (lines.slice(3, -1).some((line) => line === '')) throw new NoteError('a checkpoint has no empty extension lines');
  return { origin, size: Number(size), root: hash };
}

/** A signed checkpoint by the log's signer (whose name is the origin). */
export function signCheckpoint(checkpoint: Checkpoint, signer: NoteSigner): string {
  if (signer.name !== checkpoint.origin) throw new NoteError(`the log's key is named ${signer.name}, the origin is ${checkpoint.origin}: they must be the same`);
  return signNote(checkpointText(checkpoint), [signer]);
}

/** A signed checkpoint read without checking its signatures (to say what it claims before refusing it). */
export function readCheckpointNote(note: string): Checkpoint {
  return parseCheckpointText(parseNote(note).text);
}

/**
 * Opens a signed checkpoint with the log's verifier: the log's own signature must be there and verify, and the
 * origin must be the log's. Throws NoteError saying what is wrong.
 */
export function openCheckpoint(note: string, log: NoteVerifier): Checkpoint {
  const checkpoint = readCheckpointNote(note);
  if (checkpoint.origin !== log.name) throw new NoteError(`the checkpoint is of the log ${JSON.stringify(checkpoint.origin)}, not of ${JSON.stringify(log.name)}`);
  openNote(note, [log]);
  return checkpoint;
}

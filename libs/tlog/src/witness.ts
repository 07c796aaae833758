import { openCheckpoint, readCheckpointNote, type Checkpoint } from './checkpoint';
import { ProofError, verifyConsistency } from './merkle';
import { addSignatures, NoteError, parseNote, SIGNATURE_TYPE_COSIGNATURE, signatureLine, type NoteSigner, type NoteVerifier } from './signed-note';

/** Why a witness refuses what a log showed it. */
export type WitnessRefusal = 'signature' | 'origin' | 'rollback' | 'fork' | 'proof';

export class WitnessError extends Error {
  constructor(
    readonly refusal: WitnessRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'WitnessError';
  }
}

/**
 * What a witness checks before it takes a new checkpoint as the log's latest (C2SP tlog-witness, in the
 * auditors' hands): the log's own key signed it, it is of the same log, and, given the checkpoint seen before,
 * the new tree extends that one (a consistency proof from the old size to the new; the same root for the same
 * size). Throws WitnessError saying what is wrong: a rewritten history (a fork), a log that shrank, another key.
 */
export function checkAdvance(
  log: NoteVerifier,
  previous: string | undefined,
  next: string,
  proof: readonly Buffer[],
): { from?: Checkpoint; to: Checkpoint } {
  let to: Checkpoint;
  try {
    to = openCheckpoint(next, log);
  } catch (error) {
    let claimed = '';
    try {
      claimed = ` (it claims ${readCheckpointNote(next).origin}, signed by ${parseNote(next).signatures.map((signature) => signature.name).join(', ')})`;
    } catch {
      // not even a checkpoint: the message below says why
    }
    throw new WitnessError('signature', `The log's latest checkpoint is not signed by the key you trust, ${log.encoded}${claimed}: ${(error as Error).message}`);
  }
  if (previous === undefined) return { to };
  const from = openCheckpoint(previous, log);
  if (from.origin !== to.origin) throw new WitnessError('origin', `The checkpoint is of ${to.origin}; the one seen before was of ${from.origin}`);
  if (to.size < from.size) {
    throw new WitnessError('rollback', `The log shrank: it showed ${from.size} leaves before and shows ${to.size} now (a rollback, or a rewritten history)`);
  }
  try {
    verifyConsistency(from.size, to.size, from.root, to.root, proof);
  } catch (error) {
    if (!(error instanceof ProofError)) throw error;
    const fork = to.size === from.size || /rewritten|fork/.test(error.message);
    throw new WitnessError(
      fork ? 'fork' : 'proof',
      fork
        ? `FORK: the log's checkpoint of ${to.size} leaves does not extend the one of ${from.size} leaves seen before: its history was rewritten (${error.message})`
        : `The log's consistency proof from ${from.size} to ${to.size} leaves does not hold: ${error.message}`,
    );
  }
  return { from, to };
}

/** The message a witness cosignature (c2sp.org/tlog-cosignature, Ed25519 v1) signs. */
function cosignedMessage(text: string, timestamp: number): string {
  return `cosignature/v1\ntime ${timestamp}\n${text}`;
}

/** Adds the witness's timestamped cosignature (type 0x04) to a checkpoint it has checked. */
export function cosign(note: string, witness: NoteSigner, timestamp: number): string {
  if (witness.verifier.type !== SIGNATURE_TYPE_COSIGNATURE) throw new NoteError('a cosigning key has signature type 0x04');
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new NoteError('a cosignature time is whole seconds since 1970');
  const { text } = parseNote(note);
  const time = Buffer.alloc(8);
  time.writeBigUInt64BE(BigInt(timestamp));
  const signature = Buffer.concat([time, witness.sign(cosignedMessage(text, timestamp))]);
  return addSignatures(note, [signatureLine(witness, signature)]);
}

/** The time of a witness's valid cosignature on the note; throws NoteError when it has none. */
export function verifyCosignature(note: string, witness: NoteVerifier): number {
  const { text, signatures } = parseNote(note);
  for (const signature of signatures) {
    if (signature.name !== witness.name || signature.keyId !== witness.keyId) continue;
    if (signature.signature.length !== 72) throw new NoteError('a cosignature is 8 bytes of time and 64 of signature');
    const timestamp = Number(signature.signature.readBigUInt64BE(0));
    const valid = ed25519Check(witness, Buffer.from(cosignedMessage(text, timestamp)), signature.signature.subarray(8));
    if (!valid) throw new NoteError(`the cosignature of ${witness.name} does not verify`);
    return timestamp;
  }
  throw new NoteError(`no cosignature of ${witness.name}`);
}

function ed25519Check(witness: NoteVerifier, message: Buffer, signature: Buffer): boolean {
  return witness.verifyMessage(message, signature);
}

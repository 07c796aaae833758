import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';

/**
 * C2SP signed-note (c2sp.org/signed-note): a text ending in a newline, a blank line, and signature lines
 * `— <key name> <base64(key ID (4 bytes) || signature)>`. Keys are written as Go's golang.org/x/mod/sumdb/note
 * writes them: a verifier key `<name>+<key ID, 8 hex>+<base64(type || public key)>`, a signer key
 * `PRIVATE+KEY+<name>+<key ID>+<base64(type || seed)>`. Ed25519 (type 0x01) signs checkpoints; type 0x04 is a
 * witness's timestamped cosignature (c2sp.org/tlog-cosignature, see witness.ts).
 */
export const SIGNATURE_TYPE_ED25519 = 0x01;
export const SIGNATURE_TYPE_COSIGNATURE = 0x04;

const EM_DASH = '\u2014';
const MAX_SIGNATURES = 100;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Whether a note holds an ASCII control character (below U+0020) other than newline; in a name, DEL too. */
function hasControl(text: string, note: boolean): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if ((code < 0x20 && !(note && code === 0x0a)) || (!note && code === 0x7f)) return true;
  }
  return false;
}

export class NoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoteError';
  }
}

/** SHA-256(name || 0x0A || type || public key)[:4], big-endian (the signed-note recommendation). */
export function keyId(name: string, type: number, publicKey: Uint8Array): number {
  return createHash('sha256').update(name).update(Buffer.from([0x0a, type])).update(publicKey).digest().readUInt32BE(0);
}

/** Key names and origins: non-empty, no spaces, no `+`, no control characters. */
export function assertKeyName(name: string, what = 'a key name'): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > 255 || /[\s+\u0085]/u.test(name) || hasControl(name, false)) {
    throw new NoteError(`${what} must be 1–255 characters without spaces, + or control characters, got ${JSON.stringify(name)}`);
  }
}

/** A public key a note's signatures are checked against. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  readonly type: number;
  readonly publicKey: Buffer;
  /** The verifier key, `<name>+<hex key ID>+<base64(type || key)>`. */
  readonly encoded: string;
  /** Checks the signature bytes that follow the key ID in a signature line of a note (type 0x01). */
  verify(text: string, signature: Buffer): boolean;
  /** Checks an Ed25519 signature over any message (what a cosignature of type 0x04 signs). */
  verifyMessage(message: Buffer, signature: Buffer): boolean;
}

/** A private key that signs notes (Ed25519). */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  readonly verifier: NoteVerifier;
  /** The signer key, `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>`: a secret. */
  readonly encoded: string;
  sign(message: string | Buffer): Buffer;
}

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

export function ed25519PublicKeyObject(publicKey: Uint8Array): KeyObject {
  if (publicKey.length !== 32) throw new NoteError(`an Ed25519 public key is 32 bytes, got ${publicKey.length}`);
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519, publicKey]), format: 'der', type: 'spki' });
}

function ed25519PrivateKeyObject(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new NoteError(`an Ed25519 private key is a 32-byte seed, got ${seed.length}`);
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
}

function rawPublicKey(privateKey: KeyObject): Buffer {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  return Buffer.from(jwk.x as string, 'base64url');
}

const hex8 = (id: number) => id.toString(16).padStart(8, '0');

/** A verifier for an Ed25519 key of the given signature type (0x01 for notes, 0x04 for cosignatures). */
export function ed25519Verifier(name: string, publicKey: Uint8Array, type = SIGNATURE_TYPE_ED25519): NoteVerifier {
  assertKeyName(name);
  const key = ed25519PublicKeyObject(publicKey);
  const id = keyId(name, type, publicKey);
  const raw = Buffer.from(publicKey);
  return {
    name,
    keyId: id,
    type,
    publicKey: raw,
    encoded: `${name}+${hex8(id)}+${Buffer.concat([Buffer.from([type]), raw]).toString('base64')}`,
    verify: (text, signature) => type === SIGNATURE_TYPE_ED25519 && signature.length === 64 && verify(null, Buffer.from(text), key, signature),
    verifyMessage: (message, signature) => signature.length === 64 && verify(null, message, key, signature),
  };
}

/** Parses a verifier key `<name>+<hex key ID>+<base64(type || public key)>` (Ed25519 types only). */
export function parseVerifierKey(encoded: string): NoteVerifier {
  const parts = typeof encoded === 'string' ? encoded.trim().split('+') : [];
  // The base64 key may itself hold '+': the name and the ID are the first two fields, the rest is the key.
  if (parts.length < 3) throw new NoteError(`a verifier key is <name>+<key ID>+<base64 key>, got ${JSON.stringify(encoded)}`);
  const [name, id, ...rest] = parts;
  const material = rest.join('+');
  if (!/^[0-9a-f]{8}$/.test(id) || !BASE64.test(material)) throw new NoteError(`malformed verifier key ${JSON.stringify(encoded)}`);
  const bytes = Buffer.from(material, 'base64');
  if (bytes.length !== 33 || (bytes[0] !== SIGNATURE_TYPE_ED25519 && bytes[0] !== SIGNATURE_TYPE_COSIGNATURE)) {
    throw new NoteError(`the verifier key ${JSON.stringify(encoded)} is not an Ed25519 key (type 0x01 or 0x04, 32 bytes)`);
  }
  const verifier = ed25519Verifier(name, bytes.subarray(1), bytes[0]);
  if (hex8(verifier.keyId) !== id) throw new NoteError(`the verifier key ${JSON.stringify(encoded)} has a key ID that does not match its name and key`);
  return verifier;
}

/** An Ed25519 signer from a 32-byte seed. */
export function ed25519Signer(name: string, seed: Uint8Array, type = SIGNATURE_TYPE_ED25519): NoteSigner {
  const privateKey = ed25519PrivateKeyObject(seed);
  const verifier = ed25519Verifier(name, rawPublicKey(privateKey), type);
  const encoded = `PRIVATE+KEY+${name}+${hex8(verifier.keyId)}+${Buffer.concat([Buffer.from([type]), seed]).toString('base64')}`;
  return {
    name,
    keyId: verifier.keyId,
    verifier,
    encoded,
    sign: (message) => sign(null, typeof message === 'string' ? Buffer.from(message) : message, privateKey),
  };
}

/** A new Ed25519 signer with a random key. */
export function generateSigner(name: string, type = SIGNATURE_TYPE_ED25519): NoteSigner {
  return ed25519Signer(name, randomBytes(32), type);
}

/** Parses a signer key `PRIVATE+KEY+<name>+<hex key ID>+<base64(type || seed)>`. */
export function parseSignerKey(encoded: string): NoteSigner {
  const trimmed = typeof encoded === 'string' ? encoded.trim() : '';
  const parts = trimmed.split('+');
  if (parts.length < 5 || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY') {
    throw new NoteError('a signer key is PRIVATE+KEY+<name>+<key ID>+<base64 key>');
  }
  const [, , name, id, ...rest] = parts;
  const material = rest.join('+');
  if (!/^[0-9a-f]{8}$/.test(id) || !BASE64.test(material)) throw new NoteError('malformed signer key');
  const bytes = Buffer.from(material, 'base64');
  if (bytes.length !== 33 || (bytes[0] !== SIGNATURE_TYPE_ED25519 && bytes[0] !== SIGNATURE_TYPE_COSIGNATURE)) {
    throw new NoteError('the signer key is not an Ed25519 key (type 0x01 or 0x04, a 32-byte seed)');
  }
  const signer = ed25519Signer(name, bytes.subarray(1), bytes[0]);
  if (hex8(signer.keyId) !== id) throw new NoteError('the signer key has a key ID that does not match its name and key');
  return signer;
}

/** One signature line of a note. */
export interface NoteSignature {
  name: string;
  keyId: number;
  /** The bytes after the key ID. */
  signature: Buffer;
  /** The line as written, without its newline. */
  line: string;
}

export interface ParsedNote {
  /** The signed text, with its final newline. */
  text: string;
  signatures: NoteSignature[];
}

/** Splits a note into its text and signature lines; throws NoteError if it is not a well-formed signed note. */
export function parseNote(note: string): ParsedNote {
  if (typeof note !== 'string') throw new NoteError('a signed note is text');
  if (hasControl(note, true)) throw new NoteError('a signed note holds no control characters but newlines');
  if (!note.endsWith('\n')) throw new NoteError('a signed note ends with a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('a signed note has a blank line between its text and its signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length === 0 || lines[0] === '') throw new NoteError('a signed note has at least one signature');
  if (lines.length > MAX_SIGNATURES) throw new NoteError(`a signed note has at most ${MAX_SIGNATURES} signatures`);
  const signatures = lines.map((line): NoteSignature => {
    const match = new RegExp(`^${EM_DASH} (\\S+) ([A-Za-z0-9+/]+={0,2})$`).exec(line);
    if (!match || match[1].includes('+')) throw new NoteError(`not a signature line: ${JSON.stringify(line)}`);
    const bytes = Buffer.from(match[2], 'base64');
    if (bytes.length < 5 || bytes.toString('base64') !== match[2]) throw new NoteError(`the signature of ${match[1]} is not base64 of a key ID and a signature`);
    return { name: match[1], keyId: bytes.readUInt32BE(0), signature: bytes.subarray(4), line };
  });
  return { text, signatures };
}

/** The signature line of `signer` over `text`. */
export function signatureLine(signer: Pick<NoteSigner, 'name' | 'keyId'>, signature: Buffer): string {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(signer.keyId, 0);
  return `${EM_DASH} ${signer.name} ${Buffer.concat([id, signature]).toString('base64')}`;
}

/** Signs `text` (which must end in a newline) with every signer. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  if (!text.endsWith('\n')) throw new NoteError('a note text ends with a newline');
  if (hasControl(text, true)) throw new NoteError('a note text holds no control characters but newlines');
  return `${text}\n${signers.map((signer) => `${signatureLine(signer, signer.sign(text))}\n`).join('')}`;
}

/** Adds signature lines to a signed note. */
export function addSignatures(note: string, lines: readonly string[]): string {
  parseNote(note);
  return note + lines.map((line) => `${line}\n`).join('');
}

/**
 * Opens a signed note with the verifiers one trusts: signatures of unknown keys are ignored (as the spec says),
 * a known key's bad signature fails the note, and at least one known key must have signed. Returns the text.
 */
export function openNote(note: string, verifiers: readonly NoteVerifier[]): { text: string; verifiedBy: NoteVerifier[]; signatures: NoteSignature[] } {
  const { text, signatures } = parseNote(note);
  const verifiedBy: NoteVerifier[] = [];
  for (const signature of signatures) {
    const verifier = verifiers.find((candidate) => candidate.name === signature.name && candidate.keyId === signature.keyId);
    if (!verifier) continue;
    if (verifier.type !== SIGNATURE_TYPE_ED25519 || !verifier.verify(text, signature.signature)) {
      throw new NoteError(`the signature of ${signature.name} (key ID ${hex8(signature.keyId)}) does not verify: the note was altered or signed by another key`);
    }
    if (!verifiedBy.includes(verifier)) verifiedBy.push(verifier);
  }
  if (verifiedBy.length === 0) {
    const by = signatures.map((signature) => `${signature.name} (key ID ${hex8(signature.keyId)})`).join(', ');
    throw new NoteError(`no signature by a trusted key (${verifiers.map((verifier) => verifier.encoded).join(', ')}); signed by ${by}`);
  }
  return { text, verifiedBy, signatures };
}

export const keyIdHex = hex8;

import { checkpointText, openCheckpoint, parseCheckpointText, signCheckpoint } from './checkpoint';
import { EMPTY_ROOT } from './merkle';
import { generateSigner, keyId, NoteError, openNote, parseNote, parseSignerKey, parseVerifierKey, signNote } from './signed-note';

// golang.org/x/mod/sumdb/note's example key and note (its note_test.go): Ed25519 is deterministic, so a
// correct implementation reproduces the signature byte for byte.
const VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const NOTE = `${TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

describe('C2SP signed notes', () => {
  it('reproduces the reference note byte for byte from the reference key, and computes its key ID', () => {
    const signer = parseSignerKey(SKEY);
    expect(signer.verifier.encoded).toBe(VKEY);
    expect(signer.keyId).toBe(0xc74f20a3);
    expect(keyId('PeterNeumann', 1, signer.verifier.publicKey)).toBe(0xc74f20a3);
    expect(signNote(TEXT, [signer])).toBe(NOTE);
  });

  it('opens the reference note with the reference verifier key, and refuses it altered', () => {
    const verifier = parseVerifierKey(VKEY);
    expect(openNote(NOTE, [verifier]).text).toBe(TEXT);
    expect(() => openNote(NOTE.replace('cryptography', 'cryptographY'), [verifier])).toThrow(/does not verify/);
  });

  it('ignores signatures of unknown keys but needs one of a trusted key', () => {
    const other = generateSigner('attacker.example/log');
    const note = signNote(TEXT, [other]);
    expect(() => openNote(note, [parseVerifierKey(VKEY)])).toThrow(/no signature by a trusted key.*attacker\.example\/log/);
    const both = `${NOTE}${note.slice(note.lastIndexOf('\u2014'))}`;
    expect(openNote(both, [parseVerifierKey(VKEY)]).text).toBe(TEXT);
  });

  it('refuses malformed keys and notes with a clear message', () => {
    expect(() => parseVerifierKey('PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(/key ID/);
    expect(() => parseVerifierKey('PeterNeumann+c74f20a3')).toThrow(NoteError);
    expect(() => parseVerifierKey('PeterNeumann+c74f20a3+AAAA')).toThrow(/not an Ed25519 key/);
    expect(() => parseSignerKey('PRIVATE+KEY+x')).toThrow(NoteError);
    expect(() => parseNote(TEXT)).toThrow(/blank line/);
    expect(() => parseNote(`${TEXT}\n- PeterNeumann abc=\n`)).toThrow(/not a signature line/);
    expect(() => parseNote(`${TEXT}\n\u2014 PeterNeumann x08go\n`)).toThrow(/base64/);
    expect(() => parseNote(NOTE.slice(0, -1))).toThrow(/ends with a newline/);
    expect(() => parseNote(NOTE.replace('problem,', 'problem,\u0007'))).toThrow(/control/);
  });
});

describe('C2SP checkpoints', () => {
  const signer = generateSigner('kansli.example/styrelsen');

  it('writes origin, decimal size and base64 root, signed by the key named as the origin', () => {
    const note = signCheckpoint({ origin: signer.name, size: 17, root: EMPTY_ROOT }, signer);
    expect(note).toMatch(new RegExp(`^kansli\\.example/styrelsen\\n17\\n${EMPTY_ROOT.toString('base64').replace(/[+/]/g, '\\$&')}\\n\\n\u2014 kansli\\.example/styrelsen [A-Za-z0-9+/]+=*\\n$`));
    expect(openCheckpoint(note, signer.verifier)).toEqual({ origin: signer.name, size: 17, root: EMPTY_ROOT });
  });

  it('refuses a checkpoint of another origin, a bad size or root, and one signed by another key', () => {
    const other = generateSigner('kansli.example/styrelsen');
    expect(() => openCheckpoint(signCheckpoint({ origin: other.name, size: 3, root: EMPTY_ROOT }, other), signer.verifier)).toThrow(/no signature by a trusted key/);
    const foreign = generateSigner('elsewhere.example/log');
    expect(() => openCheckpoint(signCheckpoint({ origin: foreign.name, size: 3, root: EMPTY_ROOT }, foreign), signer.verifier)).toThrow(/not of/);
    expect(() => parseCheckpointText('o\n017\nAAAA\n')).toThrow(/leading zeros/);
    expect(() => parseCheckpointText(`o\n1\n${Buffer.alloc(31).toString('base64')}\n`)).toThrow(/SHA-256/);
    expect(() => checkpointText({ origin: 'has space', size: 1, root: EMPTY_ROOT })).toThrow(/spaces/);
    expect(() => signCheckpoint({ origin: 'another.example', size: 1, root: EMPTY_ROOT }, signer)).toThrow(/must be the same/);
  });
});

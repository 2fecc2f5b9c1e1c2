/**
 * Key material and signatures, with no database: making a key pair, a signer from a private key,
 * the key ID, and the check of a signature against published keys (what offline verification uses).
 * Ed25519 comes from node:crypto; SM2 with SM3 and the standard user ID from the platform's SM2.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from 'node:crypto';
import { generateSm2KeyPair, sm2Sign, sm2Verify } from '../../platform/index.ts';
import {
  SM2_DEFAULT_USER_ID,
  type Algorithm,
  type PublishedKey,
  type SignatureCheck,
  type Signer,
} from './keys.types.ts';

/** A key pair as stored: the private key's text (PKCS#8 PEM, or SM2 hex) and the public key's. */
export interface KeyMaterial {
  algorithm: Algorithm;
  privateKey: string;
  publicKey: string;
}

export function generateKey(algorithm: Algorithm): KeyMaterial {
  if (algorithm === 'sm2') {
    const pair = generateSm2KeyPair();
    return { algorithm, privateKey: pair.privateKeyHex, publicKey: pair.publicKeyHex };
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  return materialOf('ed25519', privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
}

/** The key pair of a stored private key (Ed25519 PEM; SM2: the private key in hex, with its public key). */
export function materialOf(algorithm: Algorithm, privateText: string, publicText?: string): KeyMaterial {
  if (algorithm === 'sm2') {
    if (publicText === undefined) {
      throw new Error('an SM2 private key is stored with its public key');
    }
    return { algorithm, privateKey: privateText.trim(), publicKey: publicText.trim() };
  }
  const publicKey = createPublicKey(createPrivateKey(privateText));
  return {
    algorithm,
    privateKey: privateText,
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/**
 * A key's ID: the first 16 hex digits of the SHA-256 of its public key (for Ed25519, of the DER
 * SubjectPublicKeyInfo — the ID the audit checkpoints carried before the registry).
 */
export function keyIdOf(algorithm: Algorithm, publicKey: string): string {
  const bytes =
    algorithm === 'ed25519'
      ? createPublicKey(publicKey).export({ type: 'spki', format: 'der' })
      : Buffer.from(publicKey, 'hex');
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

function bytesOf(text: string | Uint8Array): Uint8Array {
  return typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
}

export function signerOf(material: KeyMaterial): Signer {
  const keyId = keyIdOf(material.algorithm, material.publicKey);
  if (material.algorithm === 'sm2') {
    return {
      keyId,
      algorithm: 'sm2',
      sign: (text) => Buffer.from(sm2Sign(material.privateKey, bytesOf(text)), 'hex').toString('base64'),
    };
  }
  const privateKey = createPrivateKey(material.privateKey);
  return {
    keyId,
    algorithm: 'ed25519',
    sign: (text) => sign(null, bytesOf(text), privateKey).toString('base64'),
  };
}

/** Whether `signature` (base64) is the key's signature of `text`; false for anything malformed. */
export function signatureMatches(key: PublishedKey, text: string | Uint8Array, signature: string): boolean {
  try {
    const sig = Buffer.from(signature, 'base64');
    // Only the one canonical spelling: base64 decoding forgives trailing bits and stray characters.
    if (sig.toString('base64') !== signature) {
      return false;
    }
    if (key.algorithm === 'sm2') {
      return sm2Verify(key.publicKey, bytesOf(text), sig.toString('hex'));
    }
    return verify(null, bytesOf(text), createPublicKey(key.publicKey), sig);
  } catch {
    return false;
  }
}

/**
 * Checks a signature against published keys: the key must be known, not revoked, valid when the
 * signature was made (`signedAt`, from the signed content itself), and the signature must match.
 */
export function checkSignature(
  keys: readonly PublishedKey[],
  signed: { keyId: string; text: string | Uint8Array; signature: string; signedAt?: string },
): SignatureCheck {
  const key = keys.find((k) => k.keyId === signed.keyId);
  if (key === undefined) {
    return { ok: false, problem: 'unknown_key' };
  }
  if (key.status === 'revoked') {
    return { ok: false, problem: 'revoked', key };
  }
  if (!signatureMatches(key, signed.text, signed.signature)) {
    return { ok: false, problem: 'bad_signature', key };
  }
  if (signed.signedAt !== undefined) {
    const at = Date.parse(signed.signedAt);
    // To the second: a PDF states when it was signed to the second only.
    const from = Math.floor(Date.parse(key.validFrom) / 1000) * 1000;
    const until = key.validUntil === null ? Infinity : Date.parse(key.validUntil);
    if (!(at >= from && at <= until)) {
      return { ok: false, problem: 'outside_validity', key };
    }
  }
  return { ok: true, key };
}

export function withUserId(key: Omit<PublishedKey, 'userId'>): PublishedKey {
  return key.algorithm === 'sm2' ? { ...key, userId: SM2_DEFAULT_USER_ID } : key;
}

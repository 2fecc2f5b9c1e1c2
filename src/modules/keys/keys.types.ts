/** The words of signing: algorithms, keys as published, signers, and what a check found. */

export const ALGORITHMS = ['ed25519', 'sm2'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** The user ID GM/T 0009 gives as the default for SM2 signatures (Z_A is computed over it). */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

export type KeyStatus = 'active' | 'retired' | 'revoked';

/** A public key as the registry publishes it: enough to verify offline. */
export interface PublishedKey {
  keyId: string;
  algorithm: Algorithm;
  /** Ed25519: SubjectPublicKeyInfo PEM; SM2: the uncompressed point 04‖x‖y in hex. */
  publicKey: string;
  /** SM2 only: the user ID the signatures are computed with. */
  userId?: string;
  validFrom: string;
  /** Null while the key still signs. */
  validUntil: string | null;
  status: KeyStatus;
  revokedAt: string | null;
  revokedReason: string | null;
}

export interface Signer {
  keyId: string;
  algorithm: Algorithm;
  /** The signature of the text's UTF-8 bytes, in base64. */
  sign(text: string | Uint8Array): string;
}

/** Why a signature was not accepted. */
export type SignatureProblem = 'unknown_key' | 'revoked' | 'outside_validity' | 'bad_signature';

export type SignatureCheck =
  { ok: true; key: PublishedKey } | { ok: false; problem: SignatureProblem; key?: PublishedKey };

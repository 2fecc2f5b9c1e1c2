/**
 * SM2 digital signatures (GB/T 32918.2-2016 / GM/T 0003.2-2012) over the SM3 hash (GB/T 32905-2016 /
 * GM/T 0004-2012) on the recommended curve sm2p256v1, for signing credit reports.
 *
 * Why not node:crypto: for an SM2 key, Node signs either ECDSA-with-SM3 or SM2 with an empty
 * distinguishing ID, and neither verifies under the standard user ID that Chinese verifiers expect. The
 * arithmetic comes from `sm-crypto-v2` (exact version pinned in package.json; built on @noble/curves), in
 * its `hash: true` mode: the signed digest is e = SM3(Z_A || M), where
 * Z_A = SM3(ENTL_A || ID_A || a || b || x_G || y_G || x_A || y_A) and ID_A = SM2_USER_ID.
 *
 * Encodings (all hex is lowercase on output, either case is accepted on input):
 * - private key: 32 bytes, 64 hex chars, 1 <= d <= n - 2;
 * - public key: uncompressed point 04 || x || y, 130 hex chars;
 * - signature: raw r || s, each 32 bytes big-endian, 128 hex chars. This is not DER: for X.509, CMS or
 *   OpenSSL, wrap r and s as an ASN.1 SEQUENCE of two INTEGERs.
 * String messages are encoded as UTF-8.
 */
import { sm2, sm3 } from 'sm-crypto-v2';

/** The default user ID of GM/T 0009-2012 (the ID_A hashed into Z_A). */
export const SM2_USER_ID = '1234567812345678';

/** Order n of the base point of sm2p256v1. */
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;

const PRIVATE_KEY_RE = /^[0-9a-f]{64}$/;
const PUBLIC_KEY_RE = /^04[0-9a-f]{128}$/;
const SIGNATURE_RE = /^[0-9a-f]{128}$/;

function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? new TextEncoder().encode(data) : data;
}

function isValidPrivateKey(hex: string): boolean {
  if (!PRIVATE_KEY_RE.test(hex)) {
    return false;
  }
  const d = BigInt(`0x${hex}`);
  return d >= 1n && d <= N - 2n;
}

export function generateSm2KeyPair(): { privateKeyHex: string; publicKeyHex: string } {
  for (;;) {
    const { privateKey, publicKey } = sm2.generateKeyPairHex();
    // SM2 signing needs (1 + d) invertible mod n, so d = n - 1 (never seen in practice) is excluded.
    if (isValidPrivateKey(privateKey)) {
      return { privateKeyHex: privateKey, publicKeyHex: publicKey };
    }
  }
}

/** Signs `message` with user ID SM2_USER_ID; returns r || s as 128 lowercase hex chars. */
export function sm2Sign(privateKeyHex: string, message: Uint8Array | string): string {
  const privateKey = privateKeyHex.toLowerCase();
  if (!isValidPrivateKey(privateKey)) {
    throw new TypeError('Invalid SM2 private key: expected 64 hex chars encoding 1 <= d <= n - 2');
  }
  const publicKey = sm2.getPublicKeyFromPrivateKey(privateKey);
  return sm2.doSignature(toBytes(message), privateKey, { hash: true, userId: SM2_USER_ID, publicKey });
}

/** Verifies an r || s signature made with user ID SM2_USER_ID; false for any malformed input. */
export function sm2Verify(publicKeyHex: string, message: Uint8Array | string, signatureHex: string): boolean {
  try {
    if (typeof publicKeyHex !== 'string' || typeof signatureHex !== 'string') {
      return false;
    }
    if (typeof message !== 'string' && !(message instanceof Uint8Array)) {
      return false;
    }
    const publicKey = publicKeyHex.toLowerCase();
    const signature = signatureHex.toLowerCase();
    if (!PUBLIC_KEY_RE.test(publicKey) || !SIGNATURE_RE.test(signature)) {
      return false;
    }
    // Verification steps B1 and B2 of GB/T 32918.2: r, s in [1, n - 1]. The library does not range-check s.
    const r = BigInt(`0x${signature.slice(0, 64)}`);
    const s = BigInt(`0x${signature.slice(64)}`);
    if (r < 1n || r >= N || s < 1n || s >= N) {
      return false;
    }
    // Rejects points that are not on the curve (the library's fromHex check throws, caught below).
    if (!sm2.verifyPublicKey(publicKey)) {
      return false;
    }
    return sm2.doVerifySignature(toBytes(message), signature, publicKey, { hash: true, userId: SM2_USER_ID });
  } catch {
    return false;
  }
}

/** SM3 digest as 64 lowercase hex chars. */
export function sm3Hex(data: Uint8Array | string): string {
  return sm3(toBytes(data));
}

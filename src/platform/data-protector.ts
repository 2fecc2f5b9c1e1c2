/**
 * Protection of codes at rest: a keyed hash (HMAC-SHA256) to find a subject by any of its codes
 * without storing a citizen ID in clear, and AES-256-GCM to keep the ID itself. The 256-bit key
 * lives in a file outside the database, created on first use, readable by the owner only.
 */
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface DataProtector {
  /** The lookup key of a code of a given kind. */
  hash(kind: string, value: string): string;
  encrypt(value: string): string;
  decrypt(sealed: string): string;
}

function readOrCreateKey(file: string): Buffer {
  try {
    const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) {
      throw new Error(`${file} does not hold a 256-bit key`);
    }
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw err;
    }
  }
  const key = randomBytes(32);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    // Another process created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      return readOrCreateKey(file);
    }
    throw err;
  }
}

export function createDataProtector(keyFile: string): DataProtector {
  const raw = readOrCreateKey(keyFile);
  // One key object, imported once: creating a cipher or an HMAC from raw bytes imports them every time.
  const key = createSecretKey(raw);
  // A code's lookup hash is asked for again and again (a subject has many records): kept, up to a bound.
  const hashes = new Map<string, string>();
  // Random IVs drawn in bulk: one call to the random source per 4,096 encryptions, not per one.
  let ivs = Buffer.alloc(0);
  const nextIv = () => {
    if (ivs.length < 12) {
      ivs = randomBytes(12 * 4096);
    }
    const iv = ivs.subarray(0, 12);
    ivs = ivs.subarray(12);
    return iv;
  };
  return {
    hash: (kind, value) => {
      const input = `${kind}:${value}`;
      if (input.length > 80) {
        return createHmac('sha256', key).update(input).digest('hex'); // a payload digest: never asked twice
      }
      let digest = hashes.get(input);
      if (digest === undefined) {
        if (hashes.size >= 100_000) {
          hashes.clear();
        }
        digest = createHmac('sha256', key).update(input).digest('hex');
        hashes.set(input, digest);
      }
      return digest;
    },
    encrypt: (value) => {
      const iv = nextIv();
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt: (sealed) => {
      const raw = Buffer.from(sealed.slice(3), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

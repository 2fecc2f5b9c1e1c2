/**
 * Passwords are hashed with argon2id; sessions and API tokens are random 256-bit values of which
 * only the SHA-256 is stored, so checking a token costs microseconds, not argon2's milliseconds.
 */
import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';

export const TOKEN_PREFIX = 'xy_';

let dummyHash: Promise<string> | undefined;

/** argon2's defaults (64 MiB, 3 passes, 4 lanes): RFC 9106's second recommended option. */
let cost: { memoryCost: number; timeCost: number; parallelism: number } = {
  memoryCost: 65_536,
  timeCost: 3,
  parallelism: 4,
};

/**
 * For the test suite only, which signs in thousands of times: a hash that costs a millisecond.
 * A hash carries its own parameters, so verification follows whatever made it.
 */
export function useCheapPasswordHashingInTests(): void {
  cost = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
  dummyHash = undefined;
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, ...cost });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * A real hash of a random password, made once: verified against when the user does not exist,
 * so the time a login takes does not tell whether a username exists.
 */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}

/** A new secret: `xy_` and 43 characters of base64url (256 bits). */
export function newSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * A password for someone else to pass on (a reset, a new account at the command line): 20
 * characters of base64url (120 bits), to be changed at the first sign-in.
 */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}

export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Parses `90d`, `12h` or `1y` into milliseconds; undefined when it is none of these. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d{1,4})([hdy])$/.exec(text.trim());
  if (m === null) {
    return undefined;
  }
  const n = Number(m[1]);
  const unit = m[2] === 'h' ? 3_600_000 : m[2] === 'd' ? 86_400_000 : 366 * 86_400_000;
  return n * unit;
}

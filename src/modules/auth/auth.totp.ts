/**
 * The second factor: time-based one-time passwords (RFC 6238) as every authenticator app reads
 * them — SHA-1, six digits, 30-second steps — through the `otpauth` library. A code is accepted one
 * step either side of now (clocks drift); which step it belonged to is returned, so that the caller
 * can refuse a code already used.
 */
import { Secret, TOTP } from 'otpauth';

/** The issuer an authenticator app shows beside the account. */
export const TOTP_ISSUER = 'Xinyong';
const PERIOD = 30;
const DIGITS = 6;

function totp(secret: string, label = ''): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD,
  });
}

/** A new secret of 160 bits (RFC 4226's recommendation), in base32 as apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app reads (as a QR code, or pasted). */
export function totpUri(secret: string, username: string): string {
  return totp(secret, username).toString();
}

/** The time step a code belongs to, within one step of `now`; undefined when it is not a current code. */
export function totpStep(secret: string, code: string, now: Date): number | undefined {
  const t = totp(secret);
  const delta = t.validate({ token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? undefined : t.counter({ timestamp: now.getTime() }) + delta;
}

/** The code of `now`'s step (what the app shows): for tests and the command line's checks. */
export function totpCode(secret: string, now: Date): string {
  return totp(secret).generate({ timestamp: now.getTime() });
}

/** What an auditor is told of a verification of the chain. */
import { render, type Locale } from '../../platform/index.ts';
import type { VerifyReport } from './audit.service.ts';

export interface VerificationView {
  ok: boolean;
  eventsVerified: number;
  /** The head the chain was verified through; none when a link is broken (no head can be vouched for). */
  head: { seq: number; hash: string } | null;
  brokenLink: { seq: number; problem: string } | null;
  checkpoints: {
    /** Signed checkpoints matched against the chain; null when verification stopped before them. */
    verified: number | null;
    file: string;
    keyId: string;
    latest: { seq: number; hash: string; signedAt: string } | null;
  };
  /** Events written but not yet chained, which the verification did not cover, and how long the oldest has waited. */
  unsealed: { events: number; oldest: string | null; ageMs: number | null };
}

/** The broken link's problem is said in `locale`. */
export function presentVerification(
  { result, anchor, pending }: VerifyReport,
  locale: Locale,
  now: Date = new Date(),
): VerificationView {
  const unsealed = {
    events: pending.events,
    oldest: pending.oldest,
    ageMs: pending.oldest === null ? null : Math.max(0, now.getTime() - Date.parse(pending.oldest)),
  };
  const checkpoints = {
    file: anchor.file,
    keyId: anchor.keyId,
    latest:
      anchor.latest === null
        ? null
        : { seq: anchor.latest.seq, hash: anchor.latest.hash, signedAt: anchor.latest.signedAt },
  };
  return result.ok
    ? {
        ok: true,
        eventsVerified: result.events,
        head: { seq: result.lastSeq, hash: result.lastHash },
        brokenLink: null,
        checkpoints: { verified: result.checkpoints, ...checkpoints },
        unsealed,
      }
    : {
        ok: false,
        eventsVerified: result.events,
        head: null,
        brokenLink: { seq: result.seq, problem: render(locale, result.reason) },
        checkpoints: { verified: null, ...checkpoints },
        unsealed,
      };
}

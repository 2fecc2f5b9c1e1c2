/**
 * The hash chain, as pure functions. Each event's hash covers the previous event's hash and the
 * event's canonical JSON (sorted keys, microsecond timestamp), so editing, deleting, reordering
 * or inserting an event breaks every link after it. A cut tail or a wholesale recomputation
 * leaves a consistent chain, which is why the head is also signed into a checkpoint file
 * outside the database.
 */
import { canonicalJson, msg, render, sha256Hex, type Message } from '../../platform/index.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** An event as it is hashed and stored. */
export interface ChainEvent {
  seq: number;
  /** ISO 8601 UTC with microseconds: 2026-11-22T08:31:56.123456Z. */
  occurredAt: string;
  actor: string;
  actorRole: string | null;
  actorDepartment: string | null;
  action: string;
  targetKind: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** sha256(previous hash ‖ canonical JSON of the event's content); an event's own hash is never part of it. */
export function eventHash(event: Omit<ChainEvent, 'hash'> & { hash?: string }): string {
  const { prevHash, hash: _ownHash, ...content } = event;
  return sha256Hex(prevHash + canonicalJson(content));
}

export interface Checkpoint {
  seq: number;
  hash: string;
  signedAt: string;
}

/**
 * A broken chain's `problem` is in English (what the `audit.verify` event records); `reason` is the
 * same as a message of the catalogue, for the reader's language.
 */
export type VerifyResult =
  | { ok: true; events: number; lastSeq: number; lastHash: string; checkpoints: number }
  | { ok: false; seq: number; problem: string; reason: Message; events: number };

/** The chain broken at `seq` for `reason`, after `events` verified links. */
export function broken(seq: number, reason: Message, events: number): VerifyResult {
  return { ok: false, seq, problem: render('en', reason), reason, events };
}

export interface ChainStart {
  /** The last seq before the first event verified: 0, or the end of an archived prefix. */
  seq: number;
  hash: string;
}

/**
 * Walks events in seq order from `start` and reports the first broken link. `events` must be
 * ordered by seq; `head` is the stored chain head; `checkpoints` are the signed heads, their
 * signatures already checked.
 */
export async function verifyChain(
  events: AsyncIterable<ChainEvent> | Iterable<ChainEvent>,
  start: ChainStart,
  head: { seq: number; hash: string },
  checkpoints: readonly Checkpoint[],
): Promise<VerifyResult> {
  let expected = start.seq + 1;
  let prev = start.hash;
  let count = 0;
  const seen = new Map<number, string>();
  const wanted = new Set(checkpoints.map((c) => c.seq));
  for await (const event of events) {
    if (event.seq !== expected) {
      return event.seq > expected
        ? broken(
            expected,
            msg('audit.problem.missing', { expected, previous: expected - 1, seq: event.seq }),
            count,
          )
        : broken(event.seq, msg('audit.problem.order', { seq: event.seq, previous: expected - 1 }), count);
    }
    if (event.prevHash !== prev) {
      return broken(event.seq, msg('audit.problem.link', { seq: event.seq, previous: event.seq - 1 }), count);
    }
    if (eventHash(event) !== event.hash) {
      return broken(event.seq, msg('audit.problem.altered', { seq: event.seq }), count);
    }
    if (wanted.has(event.seq)) {
      seen.set(event.seq, event.hash);
    }
    prev = event.hash;
    expected += 1;
    count += 1;
  }
  const lastSeq = expected - 1;
  if (head.seq !== lastSeq || head.hash !== prev) {
    return broken(
      Math.min(head.seq, lastSeq) + 1,
      msg('audit.problem.cut', { last: lastSeq, head: head.seq }),
      count,
    );
  }
  for (const cp of [...checkpoints].sort((a, b) => a.seq - b.seq)) {
    if (cp.seq <= start.seq) {
      continue; // archived and pruned: covered by the archive's own signature
    }
    if (cp.seq > lastSeq) {
      return broken(
        lastSeq + 1,
        msg('audit.problem.tail_cut', { signedAt: cp.signedAt, seq: cp.seq, last: lastSeq }),
        count,
      );
    }
    if (seen.get(cp.seq) !== cp.hash) {
      return broken(cp.seq, msg('audit.problem.rewritten', { seq: cp.seq, signedAt: cp.signedAt }), count);
    }
  }
  return { ok: true, events: count, lastSeq, lastHash: prev, checkpoints: checkpoints.length };
}

/** Now, in microseconds, as ISO 8601 UTC text. */
const origin = { ms: Date.now(), hr: process.hrtime.bigint() };
export function nowMicros(): string {
  const micros = BigInt(origin.ms) * 1000n + (process.hrtime.bigint() - origin.hr) / 1000n;
  const ms = Number(micros / 1000n);
  const frac = String(micros % 1_000_000n).padStart(6, '0');
  return `${new Date(ms).toISOString().slice(0, 19)}.${frac}Z`;
}

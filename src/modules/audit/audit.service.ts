/**
 * The audit chain: one event per business action, written in the action's own transaction into
 * the inbox (no lock taken) and chained after commit by the sequencer, within a bounded delay; verification that names the first broken link; signed checkpoints
 * of the head in a file outside the database; and retention that may only archive a signed
 * prefix and then prune exactly that prefix.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import {
  canonicalJson,
  msg,
  RuleViolationError,
  sha256Hex,
  type AuditEventInput,
  type AuditInboxRow,
  type AuditWriter,
  type Message,
} from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { authorize, toAuditActor as auditActor, type Actor } from '../auth/index.ts';
import {
  broken,
  GENESIS_HASH,
  nowMicros,
  verifyChain,
  type ChainEvent,
  type Checkpoint,
  type VerifyResult,
} from './audit.chain.ts';
import { checkSignature, KeyRegistry, type Signer } from '../keys/index.ts';
import { appendCheckpoint, readCheckpoints, signCheckpoint, type SignedCheckpoint } from './audit.keys.ts';
import { AuditRepository, type EventFilter } from './audit.repository.ts';
import { AuditSequencer, type Pending } from './audit.sequencer.ts';
import { checkpointDue, type CheckpointSchedule, type ScheduledCheckpoint } from './audit.schedule.ts';

export interface AuditOptions {
  /** The platform key file: signs when no registry is given (see keys/). */
  keyFile: string;
  /** The key registry that signs checkpoints and archives and verifies them (default: one over `keyFile`). */
  keys?: KeyRegistry;
  checkpointFile: string;
  /** Events younger than this may not be archived and pruned. */
  retentionDays: number;
  /**
   * How events are chained: every `delayMs` at the latest, and also right after each write when
   * `afterWrites` (the embedded database, which one process owns). Default: both, 100 ms.
   */
  seal?: { delayMs: number; afterWrites: boolean };
}

/** A verification with where its outside anchor is: the checkpoint file and the key that signs it. */
export interface VerifyReport {
  result: VerifyResult;
  /** Events written but not yet chained (verification covers the chain), and the oldest one's time. */
  pending: Pending;
  anchor: { file: string; keyId: string; latest: Checkpoint | null };
}

/** Who signs the checkpoints the server schedules, in the chain. */
const SCHEDULER: Actor = { kind: 'system', name: 'checkpoint-schedule' };

export interface ArchiveResult {
  file: string;
  fromSeq: number;
  throughSeq: number;
  events: number;
  lastHash: string;
}

export class AuditService implements AuditWriter {
  private readonly keys: KeyRegistry;
  /** Chains what actions wrote into the inbox: after writes, and in rounds once started. */
  readonly sequencer: AuditSequencer;

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly options: AuditOptions,
    private readonly now: () => Date = () => new Date(),
    onError?: (err: unknown) => void,
  ) {
    this.keys = options.keys ?? new KeyRegistry(db, { keyFile: options.keyFile }, now);
    this.sequencer = new AuditSequencer(db, {
      delayMs: options.seal?.delayMs ?? 100,
      afterWrites: options.seal?.afterWrites ?? true,
      onError,
    });
  }

  /** Chains every event written before the call; resolves with the chain's head. */
  seal(): Promise<{ seq: number; hash: string }> {
    return this.sequencer.sealAll();
  }

  private signer(): Promise<Signer> {
    return this.keys.signer();
  }

  /**
   * Writes the action's event in the action's own transaction (atomic with it: a rollback leaves
   * no event), into the inbox, taking no lock; the sequencer chains it after commit. Returns the
   * event's id in the inbox; its place in the chain is given when it is chained.
   */
  async append(
    executor: Transaction<Schema> | Kysely<Schema>,
    input: AuditEventInput,
  ): Promise<{ id: number }> {
    const row = await executor
      .insertInto('audit_inbox')
      .values(this.inboxRow(input))
      .returning('id')
      .executeTakeFirstOrThrow();
    this.sequencer.written();
    return { id: Number(row.id) };
  }

  inboxRow(input: AuditEventInput): AuditInboxRow {
    return {
      occurred_at: nowMicros(),
      actor: input.actor.label,
      actor_role: input.actor.role ?? null,
      actor_department: input.actor.department ?? null,
      action: input.action,
      target_kind: input.target?.kind ?? null,
      target_id: input.target?.id ?? null,
      details: JSON.stringify(input.details ?? {}),
    };
  }

  written(): void {
    this.sequencer.written();
  }

  /** Verifies the chain from its start (or the last archived prefix) to its head and against the checkpoints. */
  async verify(): Promise<VerifyResult> {
    return (await this.inspect()).result;
  }

  /**
   * The verification `xinyong audit verify` runs, for an auditor, with where its anchor is; the
   * verification is itself an event, appended once it is done (the chain it verified ends before).
   */
  async verifyFor(actor: Actor): Promise<VerifyReport> {
    authorize(actor, 'audit.read', {}, { hide: true });
    const report = await this.inspect();
    const { result } = report;
    await this.append(this.db, {
      actor: auditActor(actor),
      action: 'audit.verify',
      details: result.ok
        ? { ok: true, events: result.events, throughSeq: result.lastSeq, checkpoints: result.checkpoints }
        : { ok: false, events: result.events, brokenAt: result.seq, problem: result.problem },
    });
    return report;
  }

  private async inspect(): Promise<VerifyReport> {
    const signer = await this.signer();
    const pending = await this.sequencer.pending();
    const keys = await this.keys.published();
    const { checkpoints, problem } = await readCheckpoints(this.options.checkpointFile, keys);
    const latest = checkpoints.reduce<Checkpoint | null>(
      (last, cp) => (last === null || cp.seq > last.seq ? cp : last),
      null,
    );
    const anchor = { file: this.options.checkpointFile, keyId: signer.keyId, latest };
    return { result: await this.verifyAgainst(checkpoints, problem), pending, anchor };
  }

  private async verifyAgainst(
    checkpoints: Checkpoint[],
    problem: Message | undefined,
  ): Promise<VerifyResult> {
    const repo = new AuditRepository(this.db);
    if (problem !== undefined) {
      return broken(0, problem, 0);
    }
    const archived = await repo.archivedThrough();
    if (archived !== undefined) {
      // Verification starts after an archived prefix only if this platform signed that archive.
      const m = archived.manifest as { throughSeq?: number; lastHash?: string } | null;
      const keys = await this.keys.published();
      // Signed before the registry: by whichever of the platform's keys verifies it.
      const signedBy = (signature: string) =>
        (archived.keyId === null ? keys.map((k) => k.keyId) : [archived.keyId]).some(
          (keyId) => checkSignature(keys, { keyId, text: canonicalJson(m), signature }).ok,
        );
      if (
        m === null ||
        archived.signature === null ||
        m.throughSeq !== archived.seq ||
        m.lastHash !== archived.hash ||
        !signedBy(archived.signature)
      ) {
        return broken(archived.seq, msg('audit.problem.archive_signature', { seq: archived.seq }), 0);
      }
    }
    const start =
      archived === undefined ? { seq: 0, hash: GENESIS_HASH } : { seq: archived.seq, hash: archived.hash };
    // The head first, and only events up to it: events appended while verifying are not "extra".
    const head = await repo.head();
    return verifyChain(repo.stream(start.seq, head.seq), start, head, checkpoints);
  }

  /**
   * Chains what was written, signs the chain's head into the checkpoint file, and records the
   * checkpoint as an event (chained after the head it signed). Only chained heads are signed.
   */
  async checkpoint(actor: Actor): Promise<SignedCheckpoint> {
    const signer = await this.signer();
    const head = await this.seal();
    const cp = await this.anchor(signer, head);
    await this.append(this.db, this.checkpointEvent(actor, signer, head));
    return cp;
  }

  /**
   * The server's scheduled checkpoint: signed when `schedule` says one is due, by one process only
   * — the one whose transaction takes the checkpoint lock (PostgreSQL's advisory lock; servers
   * sharing a database each try, and the others skip). Whether it is due is read from the chain
   * itself (its latest `audit.checkpoint` event, whoever signed it), so every server sees the same;
   * a chain whose only new events are checkpoints is not signed again.
   */
  async checkpointIfDue(schedule: CheckpointSchedule): Promise<ScheduledCheckpoint> {
    if (schedule.minutes <= 0 && schedule.events <= 0) {
      return { outcome: 'skipped', reason: 'off' };
    }
    const signer = await this.signer();
    await this.seal();
    return this.db.transaction().execute(async (trx): Promise<ScheduledCheckpoint> => {
      const repo = new AuditRepository(trx);
      if (!(await repo.tryLockCheckpoints())) {
        return { outcome: 'skipped', reason: 'not_elected' };
      }
      const head = await repo.head();
      // Every event after the latest checkpoint event is of another kind; with no checkpoint yet,
      // every event held is new, and the time counts from the first.
      const last = await repo.latestOf('audit.checkpoint');
      const first = last === undefined ? await repo.first() : undefined;
      const since = last ?? first;
      const newEvents = since === undefined ? 0 : head.seq - since.seq + (first === undefined ? 0 : 1);
      const due = checkpointDue(schedule, newEvents, new Date(since?.occurredAt ?? 0), this.now());
      if (!due.due) {
        return { outcome: 'skipped', reason: due.reason, newEvents };
      }
      // Signed while the lock is held, so that two servers never sign the same head twice.
      const checkpoint = await this.anchor(signer, head);
      const input = this.checkpointEvent(SCHEDULER, signer, head);
      await this.append(trx, { ...input, details: { ...input.details, trigger: due.trigger, newEvents } });
      return { outcome: 'signed', trigger: due.trigger, newEvents, checkpoint };
    });
  }

  private checkpointEvent(
    actor: Actor,
    signer: Signer,
    head: { seq: number; hash: string },
  ): AuditEventInput {
    return {
      actor: auditActor(actor),
      action: 'audit.checkpoint',
      details: {
        keyId: signer.keyId,
        file: path.basename(this.options.checkpointFile),
        signed: { seq: head.seq, hash: head.hash },
      },
    };
  }

  private async anchor(signer: Signer, event: { seq: number; hash: string }): Promise<SignedCheckpoint> {
    const cp = signCheckpoint(signer, {
      seq: event.seq,
      hash: event.hash,
      signedAt: this.now().toISOString(),
    });
    await appendCheckpoint(this.options.checkpointFile, cp);
    return cp;
  }

  /** Events for an auditor, newest first; the read is itself an event. */
  async query(actor: Actor, filter: Omit<EventFilter, 'order'>): Promise<ChainEvent[]> {
    authorize(actor, 'audit.read', {}, { hide: true });
    // What was just done is listed: it is chained first.
    await this.seal();
    return this.db.transaction().execute(async (trx) => {
      const events = await new AuditRepository(trx).events({ ...filter, order: 'desc' });
      const { limit, ...criteria } = filter;
      await this.append(trx, {
        actor: auditActor(actor),
        action: 'audit.read',
        details: {
          criteria,
          limit,
          returned: events.length,
          // The lowest and the highest seq returned.
          seqs: events.length === 0 ? [] : [events[events.length - 1]?.seq, events[0]?.seq],
        },
      });
      return events;
    });
  }

  /**
   * Archives every event older than `before` (at the latest, the retention limit) to a signed
   * file, then prunes exactly that prefix. Refused when the prefix does not verify.
   */
  async archive(actor: Actor, outFile: string, before?: string): Promise<ArchiveResult | undefined> {
    authorize(actor, 'audit.manage');
    const limit = new Date(this.now().getTime() - this.options.retentionDays * 86_400_000).toISOString();
    const cutoff = before ?? limit;
    if (cutoff > limit) {
      throw new RuleViolationError(msg('audit.retention', { days: this.options.retentionDays, limit }), {
        field: 'before',
        value: cutoff,
        rule: 'audit.retention',
      });
    }
    const repo = new AuditRepository(this.db);
    const archived = await repo.archivedThrough();
    const start =
      archived === undefined ? { seq: 0, hash: GENESIS_HASH } : { seq: archived.seq, hash: archived.hash };
    const through = await repo.lastSeqBefore(cutoff);
    if (through === undefined || through <= start.seq) {
      return undefined;
    }
    const events: ChainEvent[] = [];
    for await (const e of repo.stream(start.seq)) {
      if (e.seq > through) {
        break;
      }
      events.push(e);
    }
    const check = await verifyChain(
      events,
      start,
      { seq: through, hash: events[events.length - 1]?.hash ?? start.hash },
      [],
    );
    if (!check.ok) {
      throw new RuleViolationError(msg('audit.archive_integrity', { problem: check.reason }), {
        rule: 'audit.archive_integrity',
      });
    }
    const signer = await this.signer();
    const lines = events.map((e) => canonicalJson(e));
    const digest = sha256Hex(lines.join('\n'));
    const lastHash = events[events.length - 1]?.hash ?? start.hash;
    const manifest = {
      fromSeq: start.seq + 1,
      throughSeq: through,
      count: events.length,
      lastHash,
      digest,
      signedAt: this.now().toISOString(),
    };
    const signed = { manifest, keyId: signer.keyId, signature: signer.sign(canonicalJson(manifest)) };
    await fs.mkdir(path.dirname(outFile), { recursive: true });
    await fs.writeFile(outFile, `${lines.join('\n')}\n${JSON.stringify(signed)}\n`, { flag: 'wx' });
    await this.db.transaction().execute(async (trx) => {
      await new AuditRepository(trx).pruneArchived(through, lastHash, digest, events.length, {
        manifest: JSON.stringify(manifest),
        signature: signed.signature,
        keyId: signer.keyId,
      });
      await this.append(trx, {
        actor: auditActor(actor),
        action: 'audit.archive',
        details: {
          fromSeq: manifest.fromSeq,
          throughSeq: through,
          count: events.length,
          digest,
          file: path.basename(outFile),
        },
      });
    });
    return { file: outFile, fromSeq: manifest.fromSeq, throughSeq: through, events: events.length, lastHash };
  }
}

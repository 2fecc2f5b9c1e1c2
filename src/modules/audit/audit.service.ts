/**
 * The audit chain: one event per business action, appended last in the action's own transaction
 * under the head's row lock; verification that names the first broken link; signed checkpoints
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
  type AuditWriter,
  type Message,
} from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { authorize, toAuditActor as auditActor, type Actor } from '../auth/index.ts';
import {
  broken,
  eventHash,
  GENESIS_HASH,
  nowMicros,
  verifyChain,
  type ChainEvent,
  type Checkpoint,
  type VerifyResult,
} from './audit.chain.ts';
import {
  appendCheckpoint,
  loadOrCreateSigner,
  readCheckpoints,
  signCheckpoint,
  type SignedCheckpoint,
  type Signer,
} from './audit.keys.ts';
import { AuditRepository, type EventFilter } from './audit.repository.ts';
import { checkpointDue, type CheckpointSchedule, type ScheduledCheckpoint } from './audit.schedule.ts';

export interface AuditOptions {
  keyFile: string;
  checkpointFile: string;
  /** Events younger than this may not be archived and pruned. */
  retentionDays: number;
}

/** A verification with where its outside anchor is: the checkpoint file and the key that signs it. */
export interface VerifyReport {
  result: VerifyResult;
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
  private signerPromise: Promise<Signer> | undefined;

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly options: AuditOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private signer(): Promise<Signer> {
    this.signerPromise ??= loadOrCreateSigner(this.options.keyFile);
    return this.signerPromise;
  }

  async append(
    executor: Transaction<Schema> | Kysely<Schema>,
    input: AuditEventInput,
  ): Promise<{ seq: number; hash: string }> {
    if (!executor.isTransaction) {
      // The head lock and the two writes belong together.
      return executor.transaction().execute((trx) => this.append(trx, input));
    }
    const repo = new AuditRepository(executor);
    const head = await repo.head(true);
    const event: Omit<ChainEvent, 'hash'> = {
      seq: head.seq + 1,
      occurredAt: nowMicros(),
      actor: input.actor.label,
      actorRole: input.actor.role ?? null,
      actorDepartment: input.actor.department ?? null,
      action: input.action,
      targetKind: input.target?.kind ?? null,
      targetId: input.target?.id ?? null,
      details: input.details ?? {},
      prevHash: head.hash,
    };
    const hash = eventHash(event);
    await repo.append({ ...event, hash });
    return { seq: event.seq, hash };
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
    const { checkpoints, problem } = await readCheckpoints(this.options.checkpointFile, signer);
    const latest = checkpoints.reduce<Checkpoint | null>(
      (last, cp) => (last === null || cp.seq > last.seq ? cp : last),
      null,
    );
    const anchor = { file: this.options.checkpointFile, keyId: signer.keyId, latest };
    return { result: await this.verifyAgainst(checkpoints, problem), anchor };
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
      const signer = await this.signer();
      if (
        m === null ||
        archived.signature === null ||
        m.throughSeq !== archived.seq ||
        m.lastHash !== archived.hash ||
        !signer.verify(canonicalJson(m), archived.signature)
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
   * Appends a checkpoint event, then signs that event (the chain through it) and appends it to the
   * checkpoint file. The file is written once the event is committed: a checkpoint of an event
   * that never was would read as a cut chain.
   */
  async checkpoint(actor: Actor): Promise<SignedCheckpoint> {
    const signer = await this.signer();
    const event = await this.append(this.db, this.checkpointEvent(actor, signer));
    return this.anchor(signer, event);
  }

  /**
   * The server's scheduled checkpoint: signed when `schedule` says one is due, by one process only
   * — the one whose transaction takes the checkpoint lock (PostgreSQL's advisory lock; servers
   * sharing a database each try, and the others skip). Whether it is due is read from the chain
   * itself (its latest `audit.checkpoint` event, whoever signed it), so every server sees the same.
   */
  async checkpointIfDue(schedule: CheckpointSchedule): Promise<ScheduledCheckpoint> {
    if (schedule.minutes <= 0 && schedule.events <= 0) {
      return { outcome: 'skipped', reason: 'off' };
    }
    const signer = await this.signer();
    const attempt = await this.db.transaction().execute(async (trx) => {
      const repo = new AuditRepository(trx);
      if (!(await repo.tryLockCheckpoints())) {
        return { outcome: 'skipped', reason: 'not_elected' } as const;
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
        return { outcome: 'skipped', reason: due.reason, newEvents } as const;
      }
      const input = this.checkpointEvent(SCHEDULER, signer);
      const event = await this.append(trx, {
        ...input,
        details: { ...input.details, trigger: due.trigger, newEvents },
      });
      return { outcome: 'due', trigger: due.trigger, newEvents, event } as const;
    });
    if (attempt.outcome === 'skipped') {
      return attempt;
    }
    const checkpoint = await this.anchor(signer, attempt.event);
    return { outcome: 'signed', trigger: attempt.trigger, newEvents: attempt.newEvents, checkpoint };
  }

  private checkpointEvent(actor: Actor, signer: Signer): AuditEventInput {
    return {
      actor: auditActor(actor),
      action: 'audit.checkpoint',
      details: { keyId: signer.keyId, file: path.basename(this.options.checkpointFile) },
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

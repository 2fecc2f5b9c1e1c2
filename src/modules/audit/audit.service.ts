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
  RuleViolationError,
  sha256Hex,
  type AuditEventInput,
  type AuditWriter,
} from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { authorize, toAuditActor as auditActor, type Actor } from '../auth/index.ts';
import {
  eventHash,
  GENESIS_HASH,
  nowMicros,
  verifyChain,
  type ChainEvent,
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

export interface AuditOptions {
  keyFile: string;
  checkpointFile: string;
  /** Events younger than this may not be archived and pruned. */
  retentionDays: number;
}

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
    const repo = new AuditRepository(this.db);
    const { checkpoints, problem } = await readCheckpoints(this.options.checkpointFile, await this.signer());
    if (problem !== undefined) {
      return { ok: false, seq: 0, problem, events: 0 };
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
        return {
          ok: false,
          seq: archived.seq,
          problem: `the archive record through event ${archived.seq} does not carry a valid signature of this platform's key`,
          events: 0,
        };
      }
    }
    const start =
      archived === undefined ? { seq: 0, hash: GENESIS_HASH } : { seq: archived.seq, hash: archived.hash };
    // The head first, and only events up to it: events appended while verifying are not "extra".
    const head = await repo.head();
    return verifyChain(repo.stream(start.seq, head.seq), start, head, checkpoints);
  }

  /** Appends a checkpoint event, then signs the head and appends it to the checkpoint file. */
  async checkpoint(actor: Actor): Promise<SignedCheckpoint> {
    const signer = await this.signer();
    await this.append(this.db, {
      actor: auditActor(actor),
      action: 'audit.checkpoint',
      details: { keyId: signer.keyId, file: path.basename(this.options.checkpointFile) },
    });
    const head = await new AuditRepository(this.db).head();
    const cp = signCheckpoint(signer, { seq: head.seq, hash: head.hash, signedAt: this.now().toISOString() });
    await appendCheckpoint(this.options.checkpointFile, cp);
    return cp;
  }

  /** Events for an auditor; the read is itself an event. */
  async query(actor: Actor, filter: EventFilter): Promise<ChainEvent[]> {
    authorize(actor, 'audit.read', {}, { hide: true });
    return this.db.transaction().execute(async (trx) => {
      const events = await new AuditRepository(trx).events(filter);
      const { limit, ...criteria } = filter;
      await this.append(trx, {
        actor: auditActor(actor),
        action: 'audit.read',
        details: {
          criteria,
          limit,
          returned: events.length,
          seqs: events.length === 0 ? [] : [events[0]?.seq, events[events.length - 1]?.seq],
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
      throw new RuleViolationError(
        `events younger than the retention period (${this.options.retentionDays} days, i.e. after ${limit}) may not be archived`,
        { field: 'before', value: cutoff, rule: 'audit.retention' },
      );
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
      throw new RuleViolationError(`the prefix to archive does not verify: ${check.problem}`, {
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

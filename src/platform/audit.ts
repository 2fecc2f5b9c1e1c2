/**
 * What a service needs to write an audit event inside its own transaction. The audit module
 * implements it (the inbox, the sequencer that chains it); the platform and other modules depend
 * only on this.
 */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { AuditEventContent, Schema } from './db/schema.ts';

export interface AuditActor {
  /** `user:clerk.scjg`, `token:12`, `system:cli`, `public`. */
  label: string;
  role?: string;
  department?: string;
}

export interface AuditEventInput {
  actor: AuditActor;
  /** What was done: `catalog.load`, `token.create`, `audit.read` … */
  action: string;
  target?: { kind: string; id: string };
  /** Counts, digests and identifiers; never personal data in clear. */
  details?: Record<string, unknown>;
}

/** An event as its row in the audit inbox, as written (the columns of `audit_inbox`, its id aside). */
export type AuditInboxRow = Required<Insertable<AuditEventContent>>;

export interface AuditWriter {
  /**
   * Writes one event in the action's transaction (so the action and its event commit or roll back
   * together); it is chained after commit. Resolves with the event's id in the inbox.
   */
  append(trx: Transaction<Schema> | Kysely<Schema>, event: AuditEventInput): Promise<{ id: number }>;
  /**
   * The event as the inbox row that an action writes in the same statement as itself (one round
   * trip, atomic as any statement is); after that statement, `written()`.
   */
  inboxRow(event: AuditEventInput): AuditInboxRow;
  /** Events were written by a statement of the caller's: the sequencer has work. */
  written(): void;
}

export const SYSTEM_ACTOR: AuditActor = { label: 'system:platform' };

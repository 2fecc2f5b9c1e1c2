/**
 * What a service needs to write an audit event inside its own transaction. The audit module
 * implements it (hash chain, head lock); the platform and other modules depend only on this.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Schema } from './db/schema.ts';

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

export interface AuditWriter {
  /**
   * Writes one event in the action's transaction (so the action and its event commit or roll back
   * together); it is chained after commit. Resolves with the event's id in the inbox.
   */
  append(trx: Transaction<Schema> | Kysely<Schema>, event: AuditEventInput): Promise<{ id: number }>;
}

export const SYSTEM_ACTOR: AuditActor = { label: 'system:platform' };

/**
 * Who may see and act on what a subject files (an objection, a repair application, a commitment):
 * the subject's own account reads its own; a department's reviewer reads and decides its
 * department's; the roles the policy grants read all. Anything else answers exactly like a missing
 * one. Reads by anyone but the subject are audited: what a subject files is not public.
 */
import type { Kysely } from 'kysely';
import type { AuditWriter, DataProtector } from '../../platform/index.ts';
import { NotFoundError } from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { authorize, toAuditActor, type Action, type Actor } from '../auth/index.ts';
import { ownSubject } from './subjects.lookup.ts';

/** What an application says about whose it is and which department decides it. */
export interface Filed {
  id: number;
  subject_id: number;
  department_code: string;
}

const isSubjectUser = (actor: Actor) => actor.kind === 'user' && actor.role === 'subject_user';

/**
 * The application, when the actor may take `action` on it (a subject user only reads, its own);
 * `hidden()` otherwise, and for none at all.
 */
export async function gateFiled<T extends Filed>(
  db: Kysely<Schema>,
  protector: DataProtector,
  actor: Actor,
  filed: T | undefined,
  action: Action,
  hidden: () => Error,
): Promise<T> {
  if (filed === undefined) {
    throw hidden();
  }
  if (isSubjectUser(actor)) {
    const own = await ownSubject(db, protector, actor).catch(() => undefined);
    if (own?.id !== filed.subject_id) {
      throw hidden();
    }
    authorize(actor, action, { subject: actor.kind === 'user' ? actor.subject : undefined }, { hide: true });
    return filed;
  }
  try {
    authorize(actor, action, { department: filed.department_code }, { hide: true });
  } catch (err) {
    throw err instanceof NotFoundError ? hidden() : err;
  }
  return filed;
}

/** Whose applications a listing shows the actor: a subject's own, a reviewer's department's, or all. */
export async function filedScope(
  db: Kysely<Schema>,
  protector: DataProtector,
  actor: Actor,
  action: Action,
): Promise<{ subjectId?: number; department?: string }> {
  if (isSubjectUser(actor)) {
    authorize(actor, action, { subject: actor.kind === 'user' ? actor.subject : undefined });
    return { subjectId: (await ownSubject(db, protector, actor)).id };
  }
  if ((actor.kind === 'user' || actor.kind === 'token') && actor.role === 'reviewer') {
    const department = actor.department?.code ?? '';
    authorize(actor, action, { department });
    return { department };
  }
  authorize(actor, action);
  return {};
}

/** One audit event for a read of applications of `kind`, unless the subject reads its own. */
export async function auditFiledRead(
  db: Kysely<Schema>,
  audit: AuditWriter,
  actor: Actor,
  kind: string,
  ids: readonly number[],
  details: Record<string, unknown> = {},
): Promise<void> {
  if (isSubjectUser(actor)) {
    return;
  }
  await db.transaction().execute((trx) =>
    audit.append(trx, {
      actor: toAuditActor(actor),
      action: `${kind}.read`,
      target: { kind, id: ids.length === 1 ? String(ids[0]) : `${ids.length} ${kind}s` },
      details: { ids: ids.slice(0, 500), ...details },
    }),
  );
}

/** A message to a subject through the outbox (an outcome, what is missing, its remedies). */
export async function tellSubject(
  db: Kysely<Schema>,
  subjectId: number,
  topic: string,
  body: unknown,
): Promise<void> {
  await db
    .insertInto('outbox')
    .values({ recipient_kind: 'subject', recipient: String(subjectId), topic, body: JSON.stringify(body) })
    .execute();
}

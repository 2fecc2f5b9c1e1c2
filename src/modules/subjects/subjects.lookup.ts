/** Finding a subject by a code someone typed, and a subject user's own subject. */
import type { Kysely } from 'kysely';
import { msg, NotFoundError, ValidationError, type DataProtector } from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { authorize, type Action, type Actor } from '../auth/index.ts';
import { validate as validateCode } from '../identifiers/index.ts';
import { SubjectRepository, type SubjectRow } from './subjects.repository.ts';

/** The keyed hashes a code may be stored under (a 15-character code can be of two kinds). */
export function hashesOf(
  protector: DataProtector,
  code: string,
  field: string,
): Array<{ kind: string; hash: string }> {
  const v = validateCode(code);
  if (!v.valid) {
    const failed = v.checks.find((c) => c.result === 'fail');
    throw new ValidationError(
      msg('disclosure.invalid_code', { field, reason: failed?.message ?? msg('disclosure.not_a_code') }),
      {
        field,
        value: code.length > 64 ? `${code.slice(0, 64)}…` : code,
        rule: `identifier.${failed?.name ?? 'invalid'}`,
      },
    );
  }
  return [v.kind, ...v.alternatives.map((a) => a.kind)].map((kind) => ({
    kind,
    hash: protector.hash(kind, v.normalized),
  }));
}

/** The subject a subject user acts for, if the platform holds it. */
export async function subjectOfUser(
  db: Kysely<Schema>,
  protector: DataProtector,
  actor: Actor,
): Promise<SubjectRow | undefined> {
  const code = actor.kind === 'user' ? actor.subject : undefined;
  return code === undefined ? undefined : subjectByHashes(db, hashesOf(protector, code, 'subject'));
}

/** The subject a subject user acts for; an error when the platform holds nothing of it yet. */
export async function ownSubject(
  db: Kysely<Schema>,
  protector: DataProtector,
  actor: Actor,
): Promise<SubjectRow> {
  const subject = await subjectOfUser(db, protector, actor);
  if (subject === undefined) {
    throw new NotFoundError(msg('disclosure.own_subject_missing'));
  }
  return subject;
}

/** The subject a code names (a malformed code gets the identifier module's explanation). */
export async function subjectByCode(
  db: Kysely<Schema>,
  protector: DataProtector,
  code: string,
  field: string,
): Promise<SubjectRow | undefined> {
  return subjectByHashes(db, hashesOf(protector, code, field));
}

/** The subject one of these (kind, keyed hash) pairs names, for a caller that has hashed the code. */
export async function subjectByHashes(
  db: Kysely<Schema>,
  hashes: ReadonlyArray<{ kind: string; hash: string }>,
): Promise<SubjectRow | undefined> {
  return new SubjectRepository(db).byCode(hashes);
}

/**
 * Whom an application (an objection, a repair) is for: the subject user's own subject, or the
 * subject the service desk names (`forSubject`) for an application received in writing or at the
 * window. Each path needs its own action; a code naming nothing answers `missing()`.
 */
export async function applicantSubject(
  db: Kysely<Schema>,
  protector: DataProtector,
  actor: Actor,
  forSubject: { code: string } | undefined,
  actions: { own: Action; forOthers: Action },
  missing: () => Error,
): Promise<SubjectRow> {
  if (forSubject !== undefined) {
    authorize(actor, actions.forOthers);
    const subject = await subjectByCode(db, protector, forSubject.code, 'forSubject.code');
    if (subject === undefined) {
      throw missing();
    }
    return subject;
  }
  authorize(actor, actions.own, { subject: actor.kind === 'user' ? actor.subject : undefined });
  return ownSubject(db, protector, actor);
}

/**
 * A natural person's account, opened at the platform's window: the service desk checks the person's
 * identity (an ID-card reader, a copy of the card, face verification), records how with its evidence,
 * and opens a subject account bound to the citizen ID — which is kept sealed (encrypted, with a keyed
 * hash to find a second account for the same person), never in clear. The password is generated,
 * shown once, and changed at the first sign-in.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  ConflictError,
  isUniqueViolation,
  msg,
  parseWith,
  reason,
  ValidationError,
  type AttachmentInput,
  type AttachmentStore,
  type AuditWriter,
  type DataProtector,
  type Schema,
} from '../../platform/index.ts';
import { maskCitizenId, validate } from '../identifiers/index.ts';
import { authorize } from './auth.policy.ts';
import { AuthRepository } from './auth.repository.ts';
import { generatePassword, hashPassword } from './auth.secrets.ts';
import { toAuditActor, type Actor } from './auth.types.ts';

export const IDENTITY_CHECK_METHODS = ['id_card_reader', 'id_card_copy', 'face_verification'] as const;

export const PersonAccountSchema = z.strictObject({
  username: z.string().regex(/^[A-Za-z0-9_.-]{3,64}$/, reason('auth.reason.username')),
  displayName: z.string().trim().min(1).max(100),
  citizenId: z.string().min(15).max(20),
  identityCheck: z.strictObject({
    method: z.enum(IDENTITY_CHECK_METHODS),
    note: z.string().max(1000).optional(),
  }),
});
export type PersonAccountInput = z.input<typeof PersonAccountSchema>;

export interface PersonAccount {
  id: number;
  username: string;
  /** The citizen ID as anyone but the person sees it. */
  subject: string;
  identityCheck: { id: number; method: string; evidence: string | null };
  /** Shown once; changed at the first sign-in. */
  password: string;
}

export class PersonAccountService {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly protector: DataProtector,
    private readonly attachments: AttachmentStore,
  ) {}

  async open(actor: Actor, input: PersonAccountInput, evidence?: AttachmentInput): Promise<PersonAccount> {
    authorize(actor, 'person_account.open');
    const p = parseWith(PersonAccountSchema, input);
    const id = validate(p.citizenId);
    if (!id.valid || id.kind !== 'citizen_id') {
      throw new ValidationError(msg('auth.person.citizen_id'), {
        field: 'citizenId',
        value: maskCitizenId(p.citizenId.slice(0, 18)),
        rule: 'identifier.citizen_id',
      });
    }
    const hash = this.protector.hash('citizen_id', id.normalized);
    const masked = maskCitizenId(id.normalized);
    const checked = evidence === undefined ? [] : await this.attachments.check([evidence], 'evidence');
    if (evidence !== undefined) {
      await this.attachments.write([evidence], checked);
    }
    const password = generatePassword();
    const passwordHash = await hashPassword(password);
    return this.db.transaction().execute(async (trx) => {
      const repo = new AuthRepository(trx);
      const taken = await trx
        .selectFrom('app_user')
        .select('username')
        .where('subject_code_hash', '=', hash)
        .executeTakeFirst();
      if (taken !== undefined) {
        throw new ConflictError(msg('auth.person.exists'), {
          field: 'citizenId',
          value: masked,
          rule: 'user.person_unique',
        });
      }
      const userId = await repo
        .insertUser({
          username: p.username,
          display_name: p.displayName,
          password_hash: passwordHash,
          role: 'subject_user',
          department_code: null,
          institution_code: null,
          subject_code: null,
          subject_code_encrypted: this.protector.encrypt(id.normalized),
          subject_code_hash: hash,
          demo: false,
          must_change_password: true,
          password_changed_at: new Date(),
        })
        .catch((err: unknown) => {
          // Opened for the same person at the same moment at another window.
          throw isUniqueViolation(err, 'app_user_subject_code_hash')
            ? new ConflictError(msg('auth.person.exists'), {
                field: 'citizenId',
                value: masked,
                rule: 'user.person_unique',
              })
            : err;
        });
      if (userId === undefined) {
        throw new ConflictError(msg('auth.user.taken', { username: p.username }), {
          field: 'username',
          value: p.username,
          rule: 'user.unique',
        });
      }
      await this.attachments.remember(trx, checked);
      const check = await trx
        .insertInto('identity_check')
        .values({
          user_id: userId,
          method: p.identityCheck.method,
          evidence_sha256: checked[0]?.sha256 ?? null,
          note: p.identityCheck.note ?? null,
          checked_by: toAuditActor(actor).label,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'user.create',
        target: { kind: 'user', id: p.username },
        details: {
          id: userId,
          role: 'subject_user',
          subject: masked,
          identityCheck: {
            id: check.id,
            method: p.identityCheck.method,
            evidence: checked[0]?.sha256 ?? null,
          },
          mustChangePassword: true,
        },
      });
      return {
        id: userId,
        username: p.username,
        subject: masked,
        identityCheck: { id: check.id, method: p.identityCheck.method, evidence: checked[0]?.sha256 ?? null },
        password,
      };
    });
  }
}

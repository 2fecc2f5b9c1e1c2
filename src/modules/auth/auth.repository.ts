/** Departments, institutions, users, sessions and tokens. The only place with their SQL. */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { AuditEventInput, AuditWriter } from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import type { AppUserTable, ApiTokenTable } from '../../platform/db/schema.ts';
import type { ActorDepartment, DepartmentLevel, Role } from './auth.types.ts';

export interface DepartmentRow {
  code: string;
  name: string;
  division: string;
  level: DepartmentLevel;
  domains: string[];
  uscc: string | null;
  demo: boolean;
}

export interface InstitutionRow {
  code: string;
  name: string;
  kind: string;
  uscc: string | null;
  demo: boolean;
}

export type UserRow = Selectable<AppUserTable>;
export type TokenRow = Selectable<ApiTokenTable>;

export class AuthRepository {
  constructor(private readonly db: Kysely<Schema> | Transaction<Schema>) {}

  async departments(): Promise<DepartmentRow[]> {
    const rows = await this.db
      .selectFrom('department')
      .select(['code', 'name', 'division', 'level', 'domains', 'uscc', 'demo'])
      .orderBy('code')
      .execute();
    return rows.map((r) => ({ ...r, level: r.level as DepartmentLevel }));
  }

  async department(code: string): Promise<ActorDepartment | undefined> {
    const row = await this.db
      .selectFrom('department')
      .select(['code', 'level', 'division', 'domains'])
      .where('code', '=', code)
      .executeTakeFirst();
    return row === undefined ? undefined : { ...row, level: row.level as DepartmentLevel };
  }

  async insertDepartment(d: Omit<DepartmentRow, 'demo'>, demo = false): Promise<boolean> {
    const result = await this.db
      .insertInto('department')
      .values({ ...d, demo })
      .onConflict((oc) => oc.column('code').doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  /** Changes what is given of a department; the row after the change, or undefined when there is none. */
  async updateDepartment(
    code: string,
    change: Partial<Pick<DepartmentRow, 'name' | 'domains' | 'uscc'>>,
  ): Promise<DepartmentRow | undefined> {
    const row = await this.db
      .updateTable('department')
      .set(change)
      .where('code', '=', code)
      .returning(['code', 'name', 'division', 'level', 'domains', 'uscc', 'demo'])
      .executeTakeFirst();
    return row === undefined ? undefined : { ...row, level: row.level as DepartmentLevel };
  }

  async institutions(): Promise<InstitutionRow[]> {
    return this.db
      .selectFrom('institution')
      .select(['code', 'name', 'kind', 'uscc', 'demo'])
      .orderBy('code')
      .execute();
  }

  async institutionExists(code: string): Promise<boolean> {
    return (
      (await this.db.selectFrom('institution').select('code').where('code', '=', code).executeTakeFirst()) !==
      undefined
    );
  }

  async insertInstitution(i: Omit<InstitutionRow, 'demo'>, demo = false): Promise<boolean> {
    const result = await this.db
      .insertInto('institution')
      .values({ ...i, demo })
      .onConflict((oc) => oc.column('code').doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async userByName(username: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst();
  }

  async userById(id: number): Promise<UserRow | undefined> {
    return this.db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertUser(u: {
    username: string;
    display_name: string;
    password_hash: string;
    role: Role;
    department_code: string | null;
    institution_code: string | null;
    subject_code: string | null;
    /** A natural person's citizen ID, sealed, and its keyed hash (never in clear). */
    subject_code_encrypted?: string | null;
    subject_code_hash?: string | null;
    demo: boolean;
    must_change_password?: boolean;
    password_changed_at?: Date;
  }): Promise<number | undefined> {
    const row = await this.db
      .insertInto('app_user')
      .values(u)
      .onConflict((oc) => oc.column('username').doNothing())
      .returning('id')
      .executeTakeFirst();
    return row?.id;
  }

  async countUsers(options: { demo?: boolean } = {}): Promise<number> {
    let query = this.db.selectFrom('app_user').select((eb) => eb.fn.countAll<number>().as('n'));
    if (options.demo !== undefined) {
      query = query.where('demo', '=', options.demo);
    }
    return (await query.executeTakeFirstOrThrow()).n;
  }

  /** Removes the demo accounts, departments and institutions, with their sessions and tokens. */
  async deleteDemo(): Promise<number> {
    // Call inside a transaction: the accounts, their organisations and tokens go together.
    const users = await this.db.deleteFrom('app_user').where('demo', '=', true).executeTakeFirst();
    const demoDepartments = this.db.selectFrom('department').select('code').where('demo', '=', true);
    const demoInstitutions = this.db.selectFrom('institution').select('code').where('demo', '=', true);
    await this.db
      .deleteFrom('api_token')
      .where((eb) =>
        eb.or([eb('department_code', 'in', demoDepartments), eb('institution_code', 'in', demoInstitutions)]),
      )
      .execute();
    await this.db
      .deleteFrom('department')
      .where('demo', '=', true)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('app_user')
              .select('id')
              .whereRef('app_user.department_code', '=', 'department.code'),
          ),
        ),
      )
      .execute();
    await this.db
      .deleteFrom('institution')
      .where('demo', '=', true)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('app_user')
              .select('id')
              .whereRef('app_user.institution_code', '=', 'institution.code'),
          ),
        ),
      )
      .execute();
    return Number(users.numDeletedRows);
  }

  async insertSession(tokenHash: string, userId: number, expiresAt: Date, now: Date): Promise<void> {
    await this.db
      .insertInto('user_session')
      .values({ token_hash: tokenHash, user_id: userId, expires_at: expiresAt, last_seen_at: now })
      .execute();
  }

  async session(
    tokenHash: string,
  ): Promise<{ user_id: number; expires_at: Date; revoked_at: Date | null; last_seen_at: Date } | undefined> {
    return this.db
      .selectFrom('user_session')
      .select(['user_id', 'expires_at', 'revoked_at', 'last_seen_at'])
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
  }

  async touchSession(tokenHash: string, now: Date): Promise<void> {
    await this.db
      .updateTable('user_session')
      .set({ last_seen_at: now })
      .where('token_hash', '=', tokenHash)
      .execute();
  }

  async revokeSession(tokenHash: string): Promise<void> {
    await this.db
      .updateTable('user_session')
      .set({ revoked_at: new Date() })
      .where('token_hash', '=', tokenHash)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** Ends every open session of a user but `except` (the one asking); returns how many. */
  async revokeSessions(userId: number, now: Date, except?: string): Promise<number> {
    let query = this.db
      .updateTable('user_session')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now);
    if (except !== undefined) {
      query = query.where('token_hash', '<>', except);
    }
    return Number((await query.executeTakeFirst()).numUpdatedRows);
  }

  // ---- signing in ------------------------------------------------------------------------------

  async users(): Promise<UserRow[]> {
    return this.db.selectFrom('app_user').selectAll().orderBy('id').execute();
  }

  /**
   * Counts a failed attempt in the current window (a new window when the last one is over) and
   * locks the account when the count reaches `max`. One statement: concurrent attempts all count.
   */
  async countFailure(
    userId: number,
    at: { now: Date; windowStart: Date; lockUntil: Date; max: number },
  ): Promise<{ failures: number; lockedUntil: Date | null }> {
    const fresh = sql<boolean>`failed_since is null or failed_since <= ${at.windowStart}`;
    const failures = sql<number>`case when ${fresh} then 1 else failed_logins + 1 end`;
    const row = await this.db
      .updateTable('app_user')
      .set({
        failed_logins: failures,
        failed_since: sql<Date>`case when ${fresh} then ${at.now}::timestamptz else failed_since end`,
        locked_until: sql<Date | null>`case when ${failures} >= ${at.max} then ${at.lockUntil}::timestamptz else locked_until end`,
      })
      .where('id', '=', userId)
      .returning(['failed_logins', 'locked_until'])
      .executeTakeFirstOrThrow();
    return { failures: row.failed_logins, lockedUntil: row.locked_until };
  }

  /** A successful sign-in: the failures counted so far are forgotten. */
  async clearFailures(userId: number): Promise<void> {
    await this.db
      .updateTable('app_user')
      .set({ failed_logins: 0, failed_since: null, locked_until: null })
      .where('id', '=', userId)
      .execute();
  }

  /**
   * Records `step` as the last TOTP step used, unless it is not later than the last one: false
   * then (a code used twice). One statement, so two requests with the same code cannot both pass.
   */
  async acceptTotpStep(userId: number, step: number): Promise<boolean> {
    const row = await this.db
      .updateTable('app_user')
      .set({ totp_last_step: step })
      .where('id', '=', userId)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  async setPassword(
    userId: number,
    passwordHash: string,
    change: { now: Date; mustChange: boolean },
  ): Promise<void> {
    await this.db
      .updateTable('app_user')
      .set({
        password_hash: passwordHash,
        password_changed_at: change.now,
        must_change_password: change.mustChange,
        failed_logins: 0,
        failed_since: null,
        locked_until: null,
      })
      .where('id', '=', userId)
      .execute();
  }

  /** Disables (`at`) or enables (null) an account; enabling also lifts a lock. */
  async setDisabled(userId: number, at: Date | null): Promise<void> {
    await this.db
      .updateTable('app_user')
      .set(
        at === null
          ? { disabled_at: null, failed_logins: 0, failed_since: null, locked_until: null }
          : { disabled_at: at },
      )
      .where('id', '=', userId)
      .execute();
  }

  /** A new second-factor secret (sealed), not yet confirmed: replaces an unconfirmed one. */
  async setTotpSecret(userId: number, sealed: string): Promise<void> {
    await this.db
      .updateTable('app_user')
      .set({ totp_secret: sealed, totp_enabled_at: null, totp_last_step: null })
      .where('id', '=', userId)
      .execute();
  }

  async enableTotp(userId: number, now: Date, step: number): Promise<void> {
    await this.db
      .updateTable('app_user')
      .set({ totp_enabled_at: now, totp_last_step: step })
      .where('id', '=', userId)
      .execute();
  }

  async clearTotp(userId: number): Promise<void> {
    await this.db
      .updateTable('app_user')
      .set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null })
      .where('id', '=', userId)
      .execute();
  }

  async insertToken(t: {
    token_hash: string;
    prefix: string;
    name: string;
    role: Role;
    department_code: string | null;
    institution_code: string | null;
    created_by: string;
    expires_at: Date;
  }): Promise<TokenRow> {
    return this.db.insertInto('api_token').values(t).returningAll().executeTakeFirstOrThrow();
  }

  async tokenByHash(tokenHash: string): Promise<TokenRow | undefined> {
    return this.db.selectFrom('api_token').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  async token(id: number): Promise<TokenRow | undefined> {
    return this.db.selectFrom('api_token').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async tokens(department?: string): Promise<TokenRow[]> {
    let query = this.db.selectFrom('api_token').selectAll().orderBy('id');
    if (department !== undefined) {
      query = query.where('department_code', '=', department);
    }
    return query.execute();
  }

  async revokeToken(id: number): Promise<void> {
    await this.db
      .updateTable('api_token')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
  }
}

/**
 * Runs `work` on a repository inside one transaction and appends its audit event in the same
 * transaction: the event is part of the action, never written without it or left out of it.
 */
export function withAuditEvent<T>(
  db: Kysely<Schema>,
  audit: AuditWriter,
  work: (repo: AuthRepository) => Promise<T>,
  event: (result: T) => AuditEventInput,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const result = await work(new AuthRepository(trx));
    await audit.append(trx, event(result));
    return result;
  });
}

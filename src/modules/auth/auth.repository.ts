/** Departments, institutions, users, sessions and tokens. The only place with their SQL. */
import type { Kysely, Selectable, Transaction } from 'kysely';
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
    demo: boolean;
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

  async insertSession(tokenHash: string, userId: number, expiresAt: Date): Promise<void> {
    await this.db
      .insertInto('user_session')
      .values({ token_hash: tokenHash, user_id: userId, expires_at: expiresAt })
      .execute();
  }

  async session(
    tokenHash: string,
  ): Promise<{ user_id: number; expires_at: Date; revoked_at: Date | null } | undefined> {
    return this.db
      .selectFrom('user_session')
      .select(['user_id', 'expires_at', 'revoked_at'])
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
  }

  async revokeSession(tokenHash: string): Promise<void> {
    await this.db
      .updateTable('user_session')
      .set({ revoked_at: new Date() })
      .where('token_hash', '=', tokenHash)
      .where('revoked_at', 'is', null)
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

/**
 * Organisations, people and systems, and how a request becomes an actor: a session cookie for a
 * person, a bearer token for a system. Every refusal names its rule.
 */
import type { Kysely } from 'kysely';
import {
  ConflictError,
  msg,
  NotFoundError,
  parseWith,
  processCache,
  RuleViolationError,
  SIGN_IN_DEFAULTS,
  UnauthorizedError,
  type AuditEventInput,
  type AuditWriter,
  type DataProtector,
  type ProcessCache,
  type SignInConfig,
} from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { Credentials, loginRefusal, type FailureReason } from './auth.credentials.ts';
import { authorize } from './auth.policy.ts';
import {
  AuthRepository,
  withAuditEvent,
  type DepartmentRow,
  type InstitutionRow,
  type TokenRow,
  type UserRow,
} from './auth.repository.ts';
import type { ActorDepartment } from './auth.types.ts';
import {
  checkPasswordPolicy,
  DepartmentChangeSchema,
  DepartmentInputSchema,
  InstitutionInputSchema,
  LoginSchema,
  TokenInputSchema,
  UserInputSchema,
  type DepartmentChange,
  type DepartmentInput,
  type InstitutionInput,
  type TokenInput,
  type UserInput,
} from './auth.schema.ts';
import { hashPassword, newSecret, secretHash, TOKEN_PREFIX } from './auth.secrets.ts';
import { pendingSteps, SESSION_TOUCH_MS, sessionIdle } from './auth.signin.ts';
import { actorLabel, DEPARTMENT_ROLES, toAuditActor, type Actor, type Role } from './auth.types.ts';

export const SESSION_HOURS = 12;

export interface AuthOptions {
  /** How people sign in: the lock, the password's age, idle sessions, who needs a second factor. */
  signIn?: Partial<SignInConfig>;
  /** The clock (tests move it). */
  now?: () => Date;
}

export interface CreatedToken {
  /** Shown once; only its SHA-256 is kept. */
  token: string;
  id: number;
  prefix: string;
  name: string;
  role: Role;
  department: string | null;
  institution: string | null;
  expiresAt: Date;
}

export interface TokenView {
  id: number;
  prefix: string;
  name: string;
  role: string;
  department: string | null;
  institution: string | null;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  status: 'active' | 'expired' | 'revoked';
}

function tokenView(t: TokenRow, now: Date): TokenView {
  return {
    id: t.id,
    prefix: t.prefix,
    name: t.name,
    role: t.role,
    department: t.department_code,
    institution: t.institution_code,
    createdBy: t.created_by,
    createdAt: t.created_at,
    expiresAt: t.expires_at,
    revokedAt: t.revoked_at,
    status: t.revoked_at !== null ? 'revoked' : t.expires_at <= now ? 'expired' : 'active',
  };
}

export class AuthService {
  private readonly repository: AuthRepository;
  private readonly policy: SignInConfig;
  private readonly now: () => Date;
  private readonly credentials: Credentials;

  /** `protector` unseals second-factor secrets, which are kept sealed with the data key. */
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly protector: DataProtector,
    options: AuthOptions = {},
  ) {
    this.repository = new AuthRepository(db);
    this.policy = { ...SIGN_IN_DEFAULTS, ...options.signIn };
    this.now = options.now ?? (() => new Date());
    this.credentials = new Credentials(db, audit, protector, this.policy, this.now);
    this.tokenCache = processCache(
      async (hash: string) => {
        const row = (await this.repository.tokenByHash(hash)) ?? null;
        const code = row?.department_code ?? null;
        const department = code === null ? null : ((await this.repository.department(code)) ?? null);
        return { row, department };
      },
      { max: 10_000 },
    );
  }

  /**
   * Tokens by the hash of their secret, with their department: read at most every half second
   * (a revocation by another process is seen within a second), forgotten here when revoked here.
   */
  private readonly tokenCache: ProcessCache<
    string,
    { row: TokenRow | null; department: ActorDepartment | null }
  >;

  private withEvent<T>(
    work: (repo: AuthRepository) => Promise<T>,
    event: (result: T) => AuditEventInput,
  ): Promise<T> {
    return withAuditEvent(this.db, this.audit, work, event);
  }

  // ---- organisations -------------------------------------------------------------------------

  async createDepartment(
    actor: Actor,
    input: DepartmentInput,
    options: { demo?: boolean } = {},
  ): Promise<DepartmentRow> {
    authorize(actor, 'organisation.manage');
    const d = parseWith(DepartmentInputSchema, input);
    const row = {
      code: d.code,
      name: d.name,
      division: d.division,
      level: d.level,
      domains: d.domains,
      uscc: d.uscc ?? null,
    };
    const demo = options.demo === true;
    await this.withEvent(
      async (repo) => {
        if (!(await repo.insertDepartment(row, demo))) {
          throw new ConflictError(msg('auth.department.exists', { code: d.code }), {
            field: 'code',
            value: d.code,
            rule: 'department.unique',
          });
        }
      },
      () => ({
        actor: toAuditActor(actor),
        action: 'department.create',
        target: { kind: 'department', id: d.code },
        details: { ...row, demo },
      }),
    );
    return { ...row, demo };
  }

  /** Changes a department's name, domains (which decide what it collects) or unified code. */
  async updateDepartment(actor: Actor, code: string, input: DepartmentChange): Promise<DepartmentRow> {
    authorize(actor, 'organisation.manage');
    const change = parseWith(DepartmentChangeSchema, input);
    const updated = await this.withEvent(
      async (repo) => {
        const row = await repo.updateDepartment(code, change);
        if (row === undefined) {
          throw new NotFoundError(msg('auth.department.missing', { code }));
        }
        return row;
      },
      () => ({
        actor: toAuditActor(actor),
        action: 'department.update',
        target: { kind: 'department', id: code },
        details: change,
      }),
    );
    // Tokens carry their department's level and domains: read them again.
    this.tokenCache.forget();
    return updated;
  }

  async createInstitution(
    actor: Actor,
    input: InstitutionInput,
    options: { demo?: boolean } = {},
  ): Promise<InstitutionRow> {
    authorize(actor, 'organisation.manage');
    const i = parseWith(InstitutionInputSchema, input);
    const row = { code: i.code, name: i.name, kind: i.kind, uscc: i.uscc ?? null };
    const demo = options.demo === true;
    await this.withEvent(
      async (repo) => {
        if (!(await repo.insertInstitution(row, demo))) {
          throw new ConflictError(msg('auth.institution.exists', { code: i.code }), {
            field: 'code',
            value: i.code,
            rule: 'institution.unique',
          });
        }
      },
      () => ({
        actor: toAuditActor(actor),
        action: 'institution.create',
        target: { kind: 'institution', id: i.code },
        details: { ...row, demo },
      }),
    );
    return { ...row, demo };
  }

  /**
   * The platform acting as a department's own system in a role (the command line, the demo data):
   * undefined when there is no such department.
   */
  async departmentSystem(code: string, role: Role, name: string): Promise<Actor | undefined> {
    const d = (await this.departments({ kind: 'system', name })).find((x) => x.code === code);
    return d === undefined
      ? undefined
      : {
          kind: 'token',
          tokenId: 0,
          name,
          role,
          department: { code: d.code, level: d.level, division: d.division, domains: d.domains },
        };
  }

  departments(actor: Actor): Promise<DepartmentRow[]> {
    authorize(actor, 'organisation.read');
    return this.withEvent(
      (repo) => repo.departments(),
      (rows) => ({
        actor: toAuditActor(actor),
        action: 'organisation.read',
        details: { list: 'departments', returned: rows.length },
      }),
    );
  }

  institutions(actor: Actor): Promise<InstitutionRow[]> {
    authorize(actor, 'organisation.read');
    return this.withEvent(
      (repo) => repo.institutions(),
      (rows) => ({
        actor: toAuditActor(actor),
        action: 'organisation.read',
        details: { list: 'institutions', returned: rows.length },
      }),
    );
  }

  // ---- people --------------------------------------------------------------------------------

  /**
   * `mustChangePassword`: the password was chosen by someone else (the command line prints a
   * generated one): the person changes it before doing anything else.
   */
  async createUser(
    actor: Actor,
    input: UserInput,
    options: { demo?: boolean; mustChangePassword?: boolean } = {},
  ): Promise<{ id: number; username: string; role: Role }> {
    authorize(actor, 'user.manage');
    const u = parseWith(UserInputSchema, input);
    checkPasswordPolicy(u.password, u.username);
    const needsDepartment = DEPARTMENT_ROLES.includes(u.role);
    const membership: Array<[boolean, unknown, 'department' | 'institution' | 'subject']> = [
      [needsDepartment, u.department, 'department'],
      [u.role === 'institution_user', u.institution, 'institution'],
      [u.role === 'subject_user', u.subject, 'subject'],
    ];
    for (const [needed, value, field] of membership) {
      if (needed !== (value !== undefined)) {
        throw new RuleViolationError(
          msg(needed ? `auth.user.needs.${field}` : `auth.user.has_no.${field}`, { role: u.role }),
          { field, value: value ?? null, rule: `user.${field}` },
        );
      }
    }
    if (u.department !== undefined && (await this.repository.department(u.department)) === undefined) {
      throw new RuleViolationError(msg('auth.department.missing', { code: u.department }), {
        field: 'department',
        value: u.department,
        rule: 'user.department',
      });
    }
    if (u.institution !== undefined && !(await this.repository.institutionExists(u.institution))) {
      throw new RuleViolationError(msg('auth.institution.missing', { code: u.institution }), {
        field: 'institution',
        value: u.institution,
        rule: 'user.institution',
      });
    }
    const passwordHash = await hashPassword(u.password);
    const belongsTo = {
      department: u.department ?? null,
      institution: u.institution ?? null,
      subject: u.subject ?? null,
    };
    const id = await this.withEvent(
      async (repo) => {
        const newId = await repo.insertUser({
          username: u.username,
          display_name: u.displayName,
          password_hash: passwordHash,
          role: u.role,
          department_code: belongsTo.department,
          institution_code: belongsTo.institution,
          subject_code: belongsTo.subject,
          demo: options.demo === true,
          must_change_password: options.mustChangePassword === true,
          password_changed_at: this.now(),
        });
        if (newId === undefined) {
          throw new ConflictError(msg('auth.user.taken', { username: u.username }), {
            field: 'username',
            value: u.username,
            rule: 'user.unique',
          });
        }
        return newId;
      },
      (newId) => ({
        actor: toAuditActor(actor),
        action: 'user.create',
        target: { kind: 'user', id: u.username },
        details: {
          id: newId,
          role: u.role,
          ...belongsTo,
          demo: options.demo === true,
          mustChangePassword: options.mustChangePassword === true,
        },
      }),
    );
    return { id, username: u.username, role: u.role };
  }

  countUsers(options: { demo?: boolean } = {}): Promise<number> {
    return this.repository.countUsers(options);
  }

  deleteDemo(actor: Actor): Promise<number> {
    return this.withEvent(
      (repo) => repo.deleteDemo(),
      (removed) => ({
        actor: toAuditActor(actor),
        action: 'demo.remove',
        details: { usersRemoved: removed },
      }),
    );
  }

  private async userActor(user: UserRow): Promise<Actor> {
    const department =
      user.department_code === null ? undefined : await this.repository.department(user.department_code);
    const pending = pendingSteps(user, this.policy, this.now());
    return {
      kind: 'user',
      userId: user.id,
      username: user.username,
      role: user.role as Role,
      ...(department === undefined ? {} : { department }),
      ...(user.institution_code === null ? {} : { institution: user.institution_code }),
      ...(user.subject_code !== null
        ? { subject: user.subject_code }
        : user.subject_code_encrypted !== null
          ? { subject: this.protector.decrypt(user.subject_code_encrypted) }
          : {}),
      ...(pending.length === 0 ? {} : { pending }),
    };
  }

  /**
   * Checks a password (and the second factor's current code, once the account has one) and opens a
   * session. The same refusal whether the name or the password is wrong, or the account is locked
   * or disabled; the audit event says which. `address`: the client's, as the event records it.
   */
  async login(
    input: unknown,
    context: { address?: string } = {},
  ): Promise<{ session: string; actor: Actor; displayName: string; expiresAt: Date }> {
    const { username, password, totp } = parseWith(LoginSchema, input);
    const user = await this.repository.userByName(username);
    const proof = await this.credentials.prove(user, { password, totp }, { secondFactor: true });
    const address = context.address === undefined ? {} : { address: context.address };
    if (user === undefined || !proof.ok) {
      const reason: FailureReason = proof.ok ? 'unknown_user' : proof.reason;
      // A failed sign-in is a security event: recorded, with the name tried but never the password.
      await this.credentials.recordFailure(user, reason, {
        actor: { label: 'public' },
        action: 'auth.login_failed',
        target: { kind: 'user', id: username },
        details: address,
      });
      throw loginRefusal(reason);
    }
    const now = this.now();
    const session = newSecret();
    const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000);
    const actor = await this.userActor(user);
    await this.withEvent(
      async (repo) => {
        if (user.failed_logins > 0 || user.locked_until !== null) {
          await repo.clearFailures(user.id);
        }
        await repo.insertSession(secretHash(session), user.id, expiresAt, now);
      },
      () => ({
        actor: toAuditActor(actor),
        action: 'auth.login',
        target: { kind: 'user', id: user.username },
        details: {
          expiresAt: expiresAt.toISOString(),
          ...address,
          ...(actor.kind === 'user' && actor.pending !== undefined ? { pending: actor.pending } : {}),
        },
      }),
    );
    return { session, actor, displayName: user.display_name, expiresAt };
  }

  async logout(session: string): Promise<void> {
    const actor = await this.actorFromSession(session);
    if (actor === undefined) {
      return; // nothing to end
    }
    await this.withEvent(
      (repo) => repo.revokeSession(secretHash(session)),
      () => ({ actor: toAuditActor(actor), action: 'auth.logout' }),
    );
  }

  /**
   * The person behind a session cookie; undefined when the session is unknown, ended, expired, or
   * idle for longer than the configured minutes. Use keeps it alive.
   */
  async actorFromSession(session: string): Promise<Actor | undefined> {
    const hash = secretHash(session);
    const row = await this.repository.session(hash);
    const now = this.now();
    if (
      row === undefined ||
      row.revoked_at !== null ||
      row.expires_at <= now ||
      sessionIdle(row.last_seen_at, this.policy, now)
    ) {
      return undefined;
    }
    const user = await this.repository.userById(row.user_id);
    if (user === undefined || user.disabled_at !== null) {
      return undefined;
    }
    if (now.getTime() - row.last_seen_at.getTime() >= SESSION_TOUCH_MS) {
      await this.repository.touchSession(hash, now);
    }
    return this.userActor(user);
  }

  // ---- systems -------------------------------------------------------------------------------

  /** Creates an API token for a department's or an institution's system; the secret is shown once. */
  async createToken(actor: Actor, input: TokenInput): Promise<CreatedToken> {
    authorize(actor, 'token.manage');
    const t = parseWith(TokenInputSchema, input);
    const forInstitution = t.role === 'institution_user';
    if (
      forInstitution
        ? t.institution === undefined || t.department !== undefined
        : t.department === undefined || t.institution !== undefined
    ) {
      throw new RuleViolationError(
        forInstitution
          ? msg('auth.token.institution_only')
          : msg('auth.token.department_only', { role: t.role }),
        { field: forInstitution ? 'institution' : 'department', rule: 'token.owner' },
      );
    }
    if (t.department !== undefined && (await this.repository.department(t.department)) === undefined) {
      throw new RuleViolationError(msg('auth.department.missing', { code: t.department }), {
        field: 'department',
        value: t.department,
        rule: 'token.owner',
      });
    }
    if (t.institution !== undefined && !(await this.repository.institutionExists(t.institution))) {
      throw new RuleViolationError(msg('auth.institution.missing', { code: t.institution }), {
        field: 'institution',
        value: t.institution,
        rule: 'token.owner',
      });
    }
    const secret = newSecret();
    const row = await this.withEvent(
      (repo) =>
        repo.insertToken({
          token_hash: secretHash(secret),
          prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
          name: t.name,
          role: t.role,
          department_code: t.department ?? null,
          institution_code: t.institution ?? null,
          created_by: actorLabel(actor),
          expires_at: new Date(this.now().getTime() + t.expiresInDays * 86_400_000),
        }),
      (created) => ({
        actor: toAuditActor(actor),
        action: 'token.create',
        target: { kind: 'api_token', id: String(created.id) },
        details: {
          prefix: created.prefix,
          role: created.role,
          department: created.department_code,
          institution: created.institution_code,
          expiresAt: created.expires_at.toISOString(),
        },
      }),
    );
    return {
      token: secret,
      id: row.id,
      prefix: row.prefix,
      name: row.name,
      role: t.role,
      department: row.department_code,
      institution: row.institution_code,
      expiresAt: row.expires_at,
    };
  }

  /** The system behind a bearer token. Unknown, revoked and expired tokens are refused, each by its rule. */
  async actorFromToken(secret: string): Promise<Actor> {
    const { row, department } = await this.tokenCache.get(secretHash(secret));
    if (row === null) {
      throw new UnauthorizedError(msg('auth.token.unknown'), { rule: 'token.unknown' });
    }
    if (row.revoked_at !== null) {
      throw new UnauthorizedError(
        msg('auth.token.revoked', { prefix: row.prefix, at: row.revoked_at.toISOString() }),
        { rule: 'token.revoked' },
      );
    }
    if (row.expires_at <= this.now()) {
      throw new UnauthorizedError(
        msg('auth.token.expired', { prefix: row.prefix, at: row.expires_at.toISOString() }),
        { rule: 'token.expired' },
      );
    }
    return {
      kind: 'token',
      tokenId: row.id,
      name: row.name,
      role: row.role as Role,
      ...(department === null ? {} : { department }),
      ...(row.institution_code === null ? {} : { institution: row.institution_code }),
    };
  }

  /** Tokens of one department (a reviewer sees its own department's), or all for an administrator. */
  async tokens(actor: Actor, department?: string): Promise<TokenView[]> {
    authorize(actor, 'token.read', department === undefined ? {} : { department }, { hide: true });
    const now = this.now();
    const rows = await this.withEvent(
      (repo) => repo.tokens(department),
      (found) => ({
        actor: toAuditActor(actor),
        action: 'token.read',
        details: { department: department ?? null, returned: found.length },
      }),
    );
    return rows.map((t) => tokenView(t, now));
  }

  async revokeToken(actor: Actor, id: number): Promise<TokenView> {
    authorize(actor, 'token.manage');
    const row = await this.repository.token(id);
    if (row === undefined) {
      throw new NotFoundError();
    }
    await this.withEvent(
      (repo) => repo.revokeToken(id),
      () => ({
        actor: toAuditActor(actor),
        action: 'token.revoke',
        target: { kind: 'api_token', id: String(id) },
        details: { prefix: row.prefix },
      }),
    );
    // After the commit: a read between forgetting and committing would keep the token alive.
    this.tokenCache.forget(row.token_hash);
    const after = await this.repository.token(id);
    return tokenView(after ?? row, this.now());
  }
}

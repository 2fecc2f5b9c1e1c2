/**
 * Organisations, people and systems, and how a request becomes an actor: a session cookie for a
 * person, a bearer token for a system. Every refusal names its rule.
 */
import type { Kysely } from 'kysely';
import {
  ConflictError,
  NotFoundError,
  parseWith,
  RuleViolationError,
  UnauthorizedError,
} from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { authorize } from './auth.policy.ts';
import {
  AuthRepository,
  type DepartmentRow,
  type InstitutionRow,
  type TokenRow,
  type UserRow,
} from './auth.repository.ts';
import {
  DepartmentInputSchema,
  InstitutionInputSchema,
  LoginSchema,
  TokenInputSchema,
  UserInputSchema,
  type DepartmentInput,
  type InstitutionInput,
  type TokenInput,
  type UserInput,
} from './auth.schema.ts';
import {
  dummyPasswordHash,
  hashPassword,
  newSecret,
  secretHash,
  TOKEN_PREFIX,
  verifyPassword,
} from './auth.secrets.ts';
import { actorLabel, DEPARTMENT_ROLES, type Actor, type Role } from './auth.types.ts';

export const SESSION_HOURS = 12;

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

  constructor(
    db: Kysely<Schema>,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.repository = new AuthRepository(db);
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
    if (!(await this.repository.insertDepartment(row, options.demo === true))) {
      throw new ConflictError(`department ${d.code} exists already`, {
        field: 'code',
        value: d.code,
        rule: 'department.unique',
      });
    }
    return { ...row, demo: options.demo === true };
  }

  async createInstitution(
    actor: Actor,
    input: InstitutionInput,
    options: { demo?: boolean } = {},
  ): Promise<InstitutionRow> {
    authorize(actor, 'organisation.manage');
    const i = parseWith(InstitutionInputSchema, input);
    const row = { code: i.code, name: i.name, kind: i.kind, uscc: i.uscc ?? null };
    if (!(await this.repository.insertInstitution(row, options.demo === true))) {
      throw new ConflictError(`institution ${i.code} exists already`, {
        field: 'code',
        value: i.code,
        rule: 'institution.unique',
      });
    }
    return { ...row, demo: options.demo === true };
  }

  departments(actor: Actor): Promise<DepartmentRow[]> {
    authorize(actor, 'organisation.read');
    return this.repository.departments();
  }

  institutions(actor: Actor): Promise<InstitutionRow[]> {
    authorize(actor, 'organisation.read');
    return this.repository.institutions();
  }

  // ---- people --------------------------------------------------------------------------------

  async createUser(
    actor: Actor,
    input: UserInput,
    options: { demo?: boolean } = {},
  ): Promise<{ id: number; username: string; role: Role }> {
    authorize(actor, 'user.manage');
    const u = parseWith(UserInputSchema, input);
    const needsDepartment = DEPARTMENT_ROLES.includes(u.role);
    const membership: Array<[boolean, unknown, string]> = [
      [needsDepartment, u.department, 'department'],
      [u.role === 'institution_user', u.institution, 'institution'],
      [u.role === 'subject_user', u.subject, 'subject'],
    ];
    for (const [needed, value, field] of membership) {
      if (needed !== (value !== undefined)) {
        throw new RuleViolationError(
          needed ? `a ${u.role} belongs to a ${field}: give ${field}` : `a ${u.role} has no ${field}`,
          { field, value: value ?? null, rule: `user.${field}` },
        );
      }
    }
    if (u.department !== undefined && (await this.repository.department(u.department)) === undefined) {
      throw new RuleViolationError(`no department ${u.department}`, {
        field: 'department',
        value: u.department,
        rule: 'user.department',
      });
    }
    if (u.institution !== undefined && !(await this.repository.institutionExists(u.institution))) {
      throw new RuleViolationError(`no institution ${u.institution}`, {
        field: 'institution',
        value: u.institution,
        rule: 'user.institution',
      });
    }
    const id = await this.repository.insertUser({
      username: u.username,
      display_name: u.displayName,
      password_hash: await hashPassword(u.password),
      role: u.role,
      department_code: u.department ?? null,
      institution_code: u.institution ?? null,
      subject_code: u.subject ?? null,
      demo: options.demo === true,
    });
    if (id === undefined) {
      throw new ConflictError(`username ${u.username} is taken`, {
        field: 'username',
        value: u.username,
        rule: 'user.unique',
      });
    }
    return { id, username: u.username, role: u.role };
  }

  countUsers(options: { demo?: boolean } = {}): Promise<number> {
    return this.repository.countUsers(options);
  }

  deleteDemo(): Promise<number> {
    return this.repository.deleteDemo();
  }

  private async userActor(user: UserRow): Promise<Actor> {
    const department =
      user.department_code === null ? undefined : await this.repository.department(user.department_code);
    return {
      kind: 'user',
      userId: user.id,
      username: user.username,
      role: user.role as Role,
      ...(department === undefined ? {} : { department }),
      ...(user.institution_code === null ? {} : { institution: user.institution_code }),
      ...(user.subject_code === null ? {} : { subject: user.subject_code }),
    };
  }

  /** Checks a password and opens a session. The same refusal whether the name or the password is wrong. */
  async login(
    input: unknown,
  ): Promise<{ session: string; actor: Actor; displayName: string; expiresAt: Date }> {
    const { username, password } = parseWith(LoginSchema, input);
    const user = await this.repository.userByName(username);
    const ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), password);
    if (user === undefined || !ok || user.disabled_at !== null) {
      throw new UnauthorizedError('wrong username or password', { rule: 'auth.credentials' });
    }
    const session = newSecret();
    const expiresAt = new Date(this.now().getTime() + SESSION_HOURS * 3_600_000);
    await this.repository.insertSession(secretHash(session), user.id, expiresAt);
    return { session, actor: await this.userActor(user), displayName: user.display_name, expiresAt };
  }

  async logout(session: string): Promise<void> {
    await this.repository.revokeSession(secretHash(session));
  }

  /** The person behind a session cookie; undefined when the session is unknown, ended or expired. */
  async actorFromSession(session: string): Promise<Actor | undefined> {
    const row = await this.repository.session(secretHash(session));
    if (row === undefined || row.revoked_at !== null || row.expires_at <= this.now()) {
      return undefined;
    }
    const user = await this.repository.userById(row.user_id);
    return user === undefined || user.disabled_at !== null ? undefined : this.userActor(user);
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
          ? 'an institution_user token belongs to an institution only'
          : `a ${t.role} token belongs to a department only`,
        { field: forInstitution ? 'institution' : 'department', rule: 'token.owner' },
      );
    }
    if (t.department !== undefined && (await this.repository.department(t.department)) === undefined) {
      throw new RuleViolationError(`no department ${t.department}`, {
        field: 'department',
        value: t.department,
        rule: 'token.owner',
      });
    }
    if (t.institution !== undefined && !(await this.repository.institutionExists(t.institution))) {
      throw new RuleViolationError(`no institution ${t.institution}`, {
        field: 'institution',
        value: t.institution,
        rule: 'token.owner',
      });
    }
    const secret = newSecret();
    const row = await this.repository.insertToken({
      token_hash: secretHash(secret),
      prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
      name: t.name,
      role: t.role,
      department_code: t.department ?? null,
      institution_code: t.institution ?? null,
      created_by: actorLabel(actor),
      expires_at: new Date(this.now().getTime() + t.expiresInDays * 86_400_000),
    });
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
    const row = await this.repository.tokenByHash(secretHash(secret));
    if (row === undefined) {
      throw new UnauthorizedError('the API token is not known', { rule: 'token.unknown' });
    }
    if (row.revoked_at !== null) {
      throw new UnauthorizedError(`API token ${row.prefix}… was revoked on ${row.revoked_at.toISOString()}`, {
        rule: 'token.revoked',
      });
    }
    if (row.expires_at <= this.now()) {
      throw new UnauthorizedError(`API token ${row.prefix}… expired on ${row.expires_at.toISOString()}`, {
        rule: 'token.expired',
      });
    }
    const department =
      row.department_code === null ? undefined : await this.repository.department(row.department_code);
    return {
      kind: 'token',
      tokenId: row.id,
      name: row.name,
      role: row.role as Role,
      ...(department === undefined ? {} : { department }),
      ...(row.institution_code === null ? {} : { institution: row.institution_code }),
    };
  }

  /** Tokens of one department (a reviewer sees its own department's), or all for an administrator. */
  async tokens(actor: Actor, department?: string): Promise<TokenView[]> {
    authorize(actor, 'token.read', department === undefined ? {} : { department }, { hide: true });
    const now = this.now();
    return (await this.repository.tokens(department)).map((t) => tokenView(t, now));
  }

  async revokeToken(actor: Actor, id: number): Promise<TokenView> {
    authorize(actor, 'token.manage');
    const row = await this.repository.token(id);
    if (row === undefined) {
      throw new NotFoundError();
    }
    await this.repository.revokeToken(id);
    const after = await this.repository.token(id);
    return tokenView(after ?? row, this.now());
  }
}

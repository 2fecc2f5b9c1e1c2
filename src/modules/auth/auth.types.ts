/** Who acts, and on what. */
import type { AuditActor } from '../../platform/index.ts';

export const ROLES = [
  'platform_admin',
  'data_clerk',
  'reviewer',
  'credit_officer',
  'institution_user',
  'auditor',
  'subject_user',
  /** The platform's window staff: identity checks, applications received in writing or at the window. */
  'service_desk',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that belong to a department, and act only on their department's data. */
export const DEPARTMENT_ROLES: readonly Role[] = ['data_clerk', 'reviewer', 'credit_officer'];

export const DEPARTMENT_LEVELS = ['national', 'provincial', 'prefectural', 'county', 'township'] as const;
export type DepartmentLevel = (typeof DEPARTMENT_LEVELS)[number];

export const INSTITUTION_KINDS = ['bank', 'guarantor', 'credit_agency', 'insurer', 'other'] as const;

/**
 * A step of signing in that a person has still to take: a password to change (reset, or past its
 * age) or a second factor to enrol (required of the role). Until then the session may do nothing
 * else.
 */
export const SIGN_IN_STEPS = ['password_change', 'totp_enrolment'] as const;
export type SignInStep = (typeof SIGN_IN_STEPS)[number];

export interface ActorDepartment {
  code: string;
  level: DepartmentLevel;
  division: string;
  domains: readonly string[];
}

export type Actor =
  | { kind: 'public' }
  /** A person signed in with a password. */
  | {
      kind: 'user';
      userId: number;
      username: string;
      role: Role;
      department?: ActorDepartment;
      institution?: string;
      subject?: string;
      /** Steps of signing in left to take, in order; absent when none. */
      pending?: readonly SignInStep[];
    }
  /** A department's or an institution's system, with an API token. */
  | {
      kind: 'token';
      tokenId: number;
      name: string;
      role: Role;
      department?: ActorDepartment;
      institution?: string;
    }
  /** The platform itself or an operator at the command line. */
  | { kind: 'system'; name: string };

export const PUBLIC: Actor = { kind: 'public' };

/** What an action touches: whose department's data, which subject, which institution. */
export interface Resource {
  department?: string;
  subject?: string;
  institution?: string;
}

export function actorRole(actor: Actor): Role | 'public' | 'system' {
  return actor.kind === 'public' ? 'public' : actor.kind === 'system' ? 'system' : actor.role;
}

/** The first step of signing in the actor has still to take, if any. */
export function pendingStep(actor: Actor): SignInStep | undefined {
  return actor.kind === 'user' ? actor.pending?.[0] : undefined;
}

/** The department an actor belongs to (a department's user or system), if any. */
export function actorDepartment(actor: Actor): string | undefined {
  return actor.kind === 'user' || actor.kind === 'token' ? actor.department?.code : undefined;
}

/** A short name for the actor in audit events and logs. */
export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'public':
      return 'public';
    case 'system':
      return `system:${actor.name}`;
    case 'user':
      return `user:${actor.username}`;
    case 'token':
      return `token:${actor.tokenId}`;
  }
}

/** The actor as an audit event names it. */
export function toAuditActor(actor: Actor): AuditActor {
  switch (actor.kind) {
    case 'public':
    case 'system':
      return { label: actorLabel(actor) };
    case 'user':
    case 'token':
      return actor.department === undefined
        ? { label: actorLabel(actor), role: actor.role }
        : { label: actorLabel(actor), role: actor.role, department: actor.department.code };
  }
}

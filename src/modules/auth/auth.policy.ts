/**
 * One policy decides every access: `can(actor, action, resource)`. The table below is the whole
 * of it; a department acts only on its own data, a subject user only on its own subject, an
 * institution user only for its own institution.
 */
import {
  ForbiddenError,
  msg,
  NotFoundError,
  render,
  UnauthorizedError,
  type Message,
  type MessageKey,
} from '../../platform/index.ts';
import {
  actorRole,
  pendingStep,
  type Actor,
  type ActorDepartment,
  type Resource,
  type Role,
  type SignInStep,
} from './auth.types.ts';

export const ACTIONS = [
  'catalog.read',
  'catalog.manage',
  'organisation.read',
  'organisation.manage',
  'user.manage',
  'token.read',
  'token.manage',
  'record.submit',
  'record.read',
  'record.review',
  'quality.read',
  'list_type.manage',
  'list.read',
  'list.decide',
  'credit.check',
  'measure.stats',
  'sharing.query',
  'audit.read',
  'audit.manage',
  /** The signing keys: rotated, retired, revoked. */
  'keys.manage',
  /** Credit reports: a matter report by a department's officer, the own and special reports by the subject. */
  'report.request',
  'report.read',
  'subject.read_own',
  'subject.object',
  /** An objection filed for a subject by the service desk (received in writing or at the window). */
  'objection.file_for',
  'objection.read',
  'objection.decide',
  /** A natural person's subject account, opened at the window after an identity check. */
  'person_account.open',
  /** Credit repair: applied for by the subject (or recorded by the service desk), decided by the department. */
  'repair.apply',
  'repair.file_for',
  'repair.read',
  'repair.decide',
  /** Credit commitments: signed by the subject, fulfilment or breach recorded by the department. */
  'commitment.sign',
  'commitment.read',
  'commitment.decide',
  /** Reports of dishonest conduct from the public, handled by the competent department. */
  'conduct_report.read',
  'conduct_report.handle',
  /** Graded inspection sampling (双随机、一公开): seeds announced and draws made by the department. */
  /** A subject's public credit evaluation: read by the subject and government users; the model loaded and recomputed by the administrator. */
  'evaluation.read',
  'evaluation.manage',
  'inspection.draw',
  'inspection.read',
  /** The federation of provincial and national nodes: its state read, provinces subscribed by the nation's administrator. */
  'federation.read',
  'federation.manage',
  'authorisation.grant',
  'institution.query',
  'consent.record',
  /** One's own account: change the password, set up or turn off a second factor. */
  'account.own',
] as const;
export type Action = (typeof ACTIONS)[number];

type Scope = 'any' | 'own_department' | 'own_subject' | 'own_institution';
type Grant = readonly [Role | 'public', Scope];

const AUTHENTICATED: Grant[] = [
  ['platform_admin', 'any'],
  ['data_clerk', 'any'],
  ['reviewer', 'any'],
  ['credit_officer', 'any'],
  ['institution_user', 'any'],
  ['auditor', 'any'],
  ['subject_user', 'any'],
  ['service_desk', 'any'],
];

export const POLICY: Readonly<Record<Action, readonly Grant[]>> = {
  'catalog.read': [['public', 'any'], ...AUTHENTICATED],
  'catalog.manage': [['platform_admin', 'any']],
  'organisation.read': [['platform_admin', 'any'], ['data_clerk', 'any'], ['reviewer', 'any'], ['credit_officer', 'any'], ['auditor', 'any']],
  'organisation.manage': [['platform_admin', 'any']],
  'user.manage': [['platform_admin', 'any']],
  'token.read': [['platform_admin', 'any'], ['reviewer', 'own_department'], ['auditor', 'any']],
  'token.manage': [['platform_admin', 'any']],
  'record.submit': [['data_clerk', 'own_department']],
  'record.read': [['data_clerk', 'own_department'], ['reviewer', 'own_department'], ['auditor', 'any']],
  'record.review': [['data_clerk', 'own_department'], ['reviewer', 'own_department']],
  'quality.read': [['platform_admin', 'any'], ['auditor', 'any'], ['data_clerk', 'own_department'], ['reviewer', 'own_department']],
  'list_type.manage': [['platform_admin', 'any']],
  'list.read': [['reviewer', 'own_department'], ['credit_officer', 'own_department'], ['auditor', 'any']],
  'list.decide': [['reviewer', 'own_department']],
  'credit.check': [['credit_officer', 'own_department']],
  'measure.stats': [['platform_admin', 'any'], ['auditor', 'any'], ['credit_officer', 'own_department'], ['reviewer', 'own_department']],
  'sharing.query': [['credit_officer', 'own_department'], ['reviewer', 'own_department']],
  'audit.read': [['auditor', 'any']],
  'audit.manage': [['platform_admin', 'any']],
  'keys.manage': [['platform_admin', 'any']],
  'report.request': [['credit_officer', 'any'], ['reviewer', 'any'], ['subject_user', 'any']],
  'report.read': [['credit_officer', 'any'], ['reviewer', 'any'], ['subject_user', 'any'], ['auditor', 'any']],
  'subject.read_own': [['subject_user', 'own_subject']],
  'subject.object': [['subject_user', 'own_subject']],
  'objection.file_for': [['service_desk', 'any']],
  'objection.read': [['subject_user', 'own_subject'], ['reviewer', 'own_department'], ['service_desk', 'any'], ['platform_admin', 'any'], ['auditor', 'any']],
  'objection.decide': [['reviewer', 'own_department']],
  'person_account.open': [['service_desk', 'any']],
  'repair.apply': [['subject_user', 'own_subject']],
  'repair.file_for': [['service_desk', 'any']],
  'repair.read': [['subject_user', 'own_subject'], ['reviewer', 'own_department'], ['service_desk', 'any'], ['platform_admin', 'any'], ['auditor', 'any']],
  'repair.decide': [['reviewer', 'own_department']],
  'commitment.sign': [['subject_user', 'own_subject']],
  'commitment.read': [['subject_user', 'own_subject'], ['reviewer', 'own_department'], ['platform_admin', 'any'], ['auditor', 'any']],
  'commitment.decide': [['reviewer', 'own_department']],
  'conduct_report.read': [['reviewer', 'own_department'], ['auditor', 'any']],
  'conduct_report.handle': [['reviewer', 'own_department']],
  'evaluation.read': [['subject_user', 'own_subject'], ['reviewer', 'any'], ['credit_officer', 'any'], ['platform_admin', 'any'], ['auditor', 'any']],
  'evaluation.manage': [['platform_admin', 'any']],
  'inspection.draw': [['credit_officer', 'own_department'], ['reviewer', 'own_department']],
  'inspection.read': [['credit_officer', 'own_department'], ['reviewer', 'own_department'], ['platform_admin', 'any'], ['auditor', 'any']],
  'federation.read': [['platform_admin', 'any'], ['auditor', 'any']],
  'federation.manage': [['platform_admin', 'any']],
  'authorisation.grant': [['subject_user', 'own_subject']],
  'institution.query': [['institution_user', 'own_institution']],
  'consent.record': [['platform_admin', 'any']],
  'account.own': AUTHENTICATED,
}; // prettier-ignore

export interface Decision {
  allowed: boolean;
  /** The grant that allowed it, or why nothing did: names a rule. */
  rule: string;
  reason: string;
}

function inScope(actor: Actor, scope: Scope, resource: Resource): boolean {
  switch (scope) {
    case 'any':
      return true;
    case 'own_department':
      return (
        (actor.kind === 'user' || actor.kind === 'token') &&
        actor.department !== undefined &&
        resource.department === actor.department.code
      );
    case 'own_subject':
      return actor.kind === 'user' && actor.subject !== undefined && resource.subject === actor.subject;
    case 'own_institution':
      return (
        (actor.kind === 'user' || actor.kind === 'token') &&
        actor.institution !== undefined &&
        resource.institution === actor.institution
      );
  }
}

/** What a session with a step of signing in left is told, whatever it asks for. */
const PENDING: Readonly<Record<SignInStep, { rule: string; reason: MessageKey }>> = {
  password_change: { rule: 'auth.password_change_required', reason: 'auth.policy.password_change' },
  totp_enrolment: { rule: 'auth.totp_required', reason: 'auth.policy.totp_enrolment' },
};

/** A decision and, for a refusal, its reason as a message: the caller is told it in their language. */
interface Judgement {
  decision: Decision;
  why?: Message;
}

function refusal(rule: string, why: Message): Judgement {
  return { decision: { allowed: false, rule, reason: render('en', why) }, why };
}

function judge(actor: Actor, action: Action, resource: Resource): Judgement {
  if (actor.kind === 'system') {
    return {
      decision: { allowed: true, rule: 'policy.system', reason: `the platform itself (${actor.name})` },
    };
  }
  // A session that has a step of signing in left may take that step and nothing else.
  const pending = pendingStep(actor);
  if (pending !== undefined && action !== 'account.own') {
    return refusal(PENDING[pending].rule, msg(PENDING[pending].reason));
  }
  const role = actorRole(actor);
  const grants = POLICY[action].filter(([r]) => r === role);
  if (grants.length === 0) {
    return refusal('policy.role', msg('auth.policy.role', { role, action }));
  }
  const grant = grants.find(([, scope]) => inScope(actor, scope, resource));
  if (grant === undefined) {
    const scope = grants[0]?.[1] ?? 'any';
    return refusal(
      `policy.${scope}`,
      msg('auth.policy.scope', { role, action, scope: msg(`auth.policy.scopes.${scope}`) }),
    );
  }
  return {
    decision: {
      allowed: true,
      rule: `policy.${grant[1]}`,
      reason: `${role} may ${action} (${grant[1].replace('_', ' ')})`,
    },
  };
}

/** Whether `actor` may do `action` on `resource`, and the rule that decides it. */
export function can(actor: Actor, action: Action, resource: Resource = {}): Decision {
  return judge(actor, action, resource).decision;
}

/**
 * Throws unless `can` allows. A read the actor may not make answers exactly like a missing thing
 * (`hide`), so a denial never confirms what the platform holds; a refused action on something
 * the actor can see names the rule.
 */
export function authorize(
  actor: Actor,
  action: Action,
  resource: Resource = {},
  options: { hide?: boolean } = {},
): Decision {
  const { decision, why } = judge(actor, action, resource);
  if (!decision.allowed) {
    // A step of signing in left is said as such: it is about the session, not the resource.
    if (options.hide === true && pendingStep(actor) === undefined) {
      throw new NotFoundError();
    }
    if (actor.kind === 'public') {
      throw new UnauthorizedError(msg('auth.required'), { rule: 'auth.required' });
    }
    throw new ForbiddenError(why ?? decision.reason, { rule: decision.rule });
  }
  return decision;
}

/**
 * Refuses an actor whose role the policy never grants `action`, whatever the resource: the check a
 * route makes before it reads the request's body. Answers as `authorize` would (401 for the public,
 * 403 naming the rule, or 404 where the read is hidden).
 */
export function requireRole(actor: Actor, action: Action, options: { hide?: boolean } = {}): void {
  if (actor.kind === 'system') {
    return;
  }
  const role = actorRole(actor);
  if (
    POLICY[action].some(([r]) => r === role) &&
    (pendingStep(actor) === undefined || action === 'account.own')
  ) {
    return;
  }
  authorize(actor, action, {}, options);
}

/**
 * The department an actor acts for, for an action only a department takes (designating, checking):
 * an actor with none is refused by the policy's own rule (the platform itself, which the policy
 * allows everything, is told it has no department).
 */
export function requireDepartment(actor: Actor, action: Action): ActorDepartment {
  const department = actor.kind === 'user' || actor.kind === 'token' ? actor.department : undefined;
  if (department === undefined) {
    authorize(actor, action, { department: '' });
    throw new NotFoundError(msg('auth.policy.no_department', { action }));
  }
  return department;
}

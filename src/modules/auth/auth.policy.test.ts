import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../platform/index.ts';
import { ACTIONS, authorize, can, requireRole } from './auth.policy.ts';
import { ROLES, type Actor, type Role } from './auth.types.ts';

const OWN = { department: 'D-OWN', subject: '91350100M000100Y43', institution: 'I-OWN' };
const OTHER = { department: 'D-OTHER', subject: '91110000100000000Q', institution: 'I-OTHER' };

function actorFor(role: Role): Actor {
  return {
    kind: 'user',
    userId: 1,
    username: role,
    role,
    department: { code: 'D-OWN', level: 'prefectural', division: '350100', domains: ['market_supervision'] },
    institution: 'I-OWN',
    subject: '91350100M000100Y43',
  };
}

/**
 * Every cell that is allowed, written out by hand: `role action own|other`. Anything not listed
 * must be refused. The policy table is not consulted to build this list.
 */
const ALLOWED = new Set(
  `
  public catalog.read own
  public catalog.read other
  platform_admin catalog.read *
  platform_admin catalog.manage *
  platform_admin organisation.read *
  platform_admin organisation.manage *
  platform_admin user.manage *
  platform_admin token.read *
  platform_admin token.manage *
  platform_admin audit.manage *
  platform_admin keys.manage *
  platform_admin quality.read *
  platform_admin consent.record *
  platform_admin list_type.manage *
  platform_admin measure.stats *
  platform_admin objection.read *
  platform_admin repair.read *
  platform_admin commitment.read *
  platform_admin evaluation.read *
  platform_admin evaluation.manage *
  platform_admin inspection.read *
  platform_admin federation.read *
  platform_admin federation.manage *
  data_clerk catalog.read *
  data_clerk organisation.read *
  data_clerk record.submit own
  data_clerk record.read own
  data_clerk record.review own
  data_clerk quality.read own
  reviewer catalog.read *
  reviewer organisation.read *
  reviewer token.read own
  reviewer record.read own
  reviewer record.review own
  reviewer quality.read own
  reviewer list.read own
  reviewer list.decide own
  reviewer measure.stats own
  reviewer sharing.query own
  reviewer objection.read own
  reviewer objection.decide own
  reviewer repair.read own
  reviewer repair.decide own
  reviewer commitment.read own
  reviewer commitment.decide own
  reviewer evaluation.read *
  reviewer inspection.draw own
  reviewer inspection.read own
  reviewer conduct_report.read own
  reviewer conduct_report.handle own
  credit_officer catalog.read *
  credit_officer evaluation.read *
  credit_officer inspection.draw own
  credit_officer inspection.read own
  credit_officer organisation.read *
  credit_officer list.read own
  credit_officer credit.check own
  credit_officer measure.stats own
  credit_officer sharing.query own
  institution_user catalog.read *
  institution_user institution.query own
  auditor catalog.read *
  auditor organisation.read *
  auditor token.read *
  auditor record.read *
  auditor audit.read *
  auditor quality.read *
  auditor list.read *
  auditor measure.stats *
  auditor objection.read *
  auditor repair.read *
  auditor commitment.read *
  auditor evaluation.read *
  auditor inspection.read *
  auditor federation.read *
  auditor conduct_report.read *
  subject_user catalog.read *
  subject_user subject.read_own own
  subject_user subject.object own
  subject_user authorisation.grant own
  subject_user objection.read own
  subject_user repair.apply own
  subject_user repair.read own
  subject_user commitment.sign own
  subject_user commitment.read own
  subject_user evaluation.read own
  service_desk catalog.read *
  service_desk objection.file_for *
  service_desk objection.read *
  service_desk person_account.open *
  service_desk repair.file_for *
  service_desk repair.read *
  credit_officer report.request *
  credit_officer report.read *
  reviewer report.request *
  reviewer report.read *
  subject_user report.request *
  subject_user report.read *
  auditor report.read *
  platform_admin account.own *
  data_clerk account.own *
  reviewer account.own *
  credit_officer account.own *
  institution_user account.own *
  auditor account.own *
  subject_user account.own *
  service_desk account.own *
  `
    .trim()
    .split('\n')
    .flatMap((line) => {
      const [role, action, where] = line.trim().split(/\s+/);
      return where === '*'
        ? [`${role} ${action} own`, `${role} ${action} other`]
        : [`${role} ${action} ${where}`];
    }),
);

describe('access policy', () => {
  it('allows exactly the expected cells of roles × actions × own/other', () => {
    const allowed: string[] = [];
    const actors: Array<[string, Actor]> = [
      ['public', { kind: 'public' }],
      ...ROLES.map((r): [string, Actor] => [r, actorFor(r)]),
    ];
    for (const [name, actor] of actors) {
      for (const action of ACTIONS) {
        for (const [where, resource] of [
          ['own', OWN],
          ['other', OTHER],
        ] as const) {
          if (can(actor, action, resource).allowed) {
            allowed.push(`${name} ${action} ${where}`);
          }
        }
      }
    }
    expect(allowed.length).toBeGreaterThan(0);
    expect(allowed.sort()).toEqual([...ALLOWED].sort());
    // 9 kinds of actor, every action, own and other.
    expect(actors.length * ACTIONS.length * 2).toBe(9 * 47 * 2);
  });

  it('refuses a department role with no department, even for "its own" data', () => {
    const homeless: Actor = { kind: 'token', tokenId: 9, name: 'x', role: 'data_clerk' };
    expect(can(homeless, 'record.submit', { department: 'D-OWN' }).allowed).toBe(false);
    expect(can(homeless, 'record.submit', {}).allowed).toBe(false);
  });

  it('names the rule of a refusal, hides a refused read, and asks the public to sign in', () => {
    const clerk = actorFor('data_clerk');
    expect(can(clerk, 'record.submit', OTHER)).toEqual({
      allowed: false,
      rule: 'policy.own_department',
      reason: 'data_clerk may record.submit only own department',
    });
    expect(() => authorize(clerk, 'record.submit', OTHER)).toThrow(ForbiddenError);
    expect(() => authorize(clerk, 'audit.read', {}, { hide: true })).toThrow(NotFoundError);
    expect(() => authorize({ kind: 'public' }, 'organisation.read')).toThrow(UnauthorizedError);
  });

  it('lets a session with a step of signing in left take that step and nothing else', () => {
    const admin = { ...actorFor('platform_admin'), pending: ['password_change', 'totp_enrolment'] } as Actor;
    const allowed = ACTIONS.filter((action) => can(admin, action, OWN).allowed);
    expect(allowed).toEqual(['account.own']);
    expect(can(admin, 'user.manage')).toMatchObject({
      allowed: false,
      rule: 'auth.password_change_required',
    });
    // Said as such even where a refused read would look like absence: it is about the session.
    let refusal: unknown;
    try {
      authorize(admin, 'token.read', {}, { hide: true });
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(ForbiddenError);
    expect((refusal as ForbiddenError).rule).toBe('auth.password_change_required');
    expect(() => requireRole(admin, 'user.manage')).toThrow(ForbiddenError);
    expect(() => requireRole(admin, 'account.own')).not.toThrow();
    const auditor = { ...actorFor('auditor'), pending: ['totp_enrolment'] } as Actor;
    expect(can(auditor, 'audit.read')).toMatchObject({ allowed: false, rule: 'auth.totp_required' });
  });

  it('lets the platform itself act', () => {
    expect(can({ kind: 'system', name: 'test' }, 'token.manage').allowed).toBe(true);
  });
});

/** Departments, institutions, users, roles, sessions, API tokens, and the one access policy. */
export {
  AuthService,
  SESSION_HOURS,
  type AuthOptions,
  type CreatedToken,
  type TokenView,
} from './auth.service.ts';
export { AccountService, type UserRef, type UserView } from './auth.accounts.ts';
export { accountRoutes } from './auth.account-routes.ts';
export {
  IDENTITY_CHECK_METHODS,
  PersonAccountService,
  type PersonAccount,
  type PersonAccountInput,
} from './auth.person-accounts.ts';
export {
  can,
  authorize,
  requireDepartment,
  ACTIONS,
  POLICY,
  type Action,
  type Decision,
} from './auth.policy.ts';
export { authRoutes, type AuthRouteOptions } from './auth.routes.ts';
export {
  registerActorResolution,
  SESSION_COOKIE,
  SECURITY_SCHEMES,
  CALLER_REQUIRED,
  CALLER_OPTIONAL,
} from './auth.hooks.ts';
export { seedDemo, demoCredentials, DEMO_PASSWORD, DEMO_USERS, DEMO_DEPARTMENTS } from './auth.demo.ts';
export { parseDuration, useCheapPasswordHashingInTests } from './auth.secrets.ts';
export {
  ROLES,
  DEPARTMENT_ROLES,
  DEPARTMENT_LEVELS,
  PUBLIC,
  actorDepartment,
  actorLabel,
  toAuditActor,
  SIGN_IN_STEPS,
  type Actor,
  type ActorDepartment,
  type DepartmentLevel,
  type Resource,
  type Role,
  type SignInStep,
} from './auth.types.ts';
export { totpCode } from './auth.totp.ts';

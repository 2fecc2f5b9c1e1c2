import { z } from 'zod';
import { fieldReason, msg, reason, ValidationError } from '../../platform/index.ts';
import { lookupDivision, validate } from '../identifiers/index.ts';
import { DEPARTMENT_LEVELS, INSTITUTION_KINDS, ROLES } from './auth.types.ts';

const orgCode = z.string().regex(/^[A-Za-z0-9_-]{2,40}$/, reason('auth.reason.org_code'));
const uscc = z
  .string()
  .refine((v) => {
    const r = validate(v);
    return r.kind === 'uscc' && r.valid;
  }, reason('auth.reason.uscc'))
  .transform((v) => validate(v).normalized);
const division = z
  .string()
  .refine((v) => lookupDivision(v).status !== 'malformed', reason('auth.reason.division'));
const domain = z.string().regex(/^[a-z][a-z0-9_]*$/, reason('auth.reason.domain'));

export const DepartmentInputSchema = z.strictObject({
  code: orgCode,
  name: z.string().trim().min(1).max(200),
  division,
  level: z.enum(DEPARTMENT_LEVELS),
  domains: z.array(domain).default([]),
  /** The department's own unified social credit code: the source code its rows must give. */
  uscc,
});
export type DepartmentInput = z.input<typeof DepartmentInputSchema>;

/** What may change of a department: not its code, division or level, which its records rest on. */
export const DepartmentChangeSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    domains: z.array(domain).optional(),
    uscc: uscc.optional(),
  })
  .refine((c) => Object.keys(c).length > 0, reason('auth.reason.department_change'));
export type DepartmentChange = z.input<typeof DepartmentChangeSchema>;

export const InstitutionInputSchema = z.strictObject({
  code: orgCode,
  name: z.string().trim().min(1).max(200),
  kind: z.enum(INSTITUTION_KINDS),
  uscc: uscc.optional(),
});
export type InstitutionInput = z.input<typeof InstitutionInputSchema>;

export const PASSWORD_MIN = 12;

const newPassword = z
  .string()
  .min(PASSWORD_MIN, reason('auth.reason.password_length', { min: PASSWORD_MIN }))
  .max(256);

/**
 * What the schema cannot see: a password is never the username (in any case). Throws the
 * catalogue's ValidationError naming `field` (the password itself is never echoed).
 */
export function checkPasswordPolicy(password: string, username: string, field = 'password'): void {
  if (password.trim().toLowerCase() === username.toLowerCase()) {
    throw new ValidationError(fieldReason(field, msg('auth.reason.not_username')), {
      field,
      rule: 'password.username',
    });
  }
}

export const UserInputSchema = z.strictObject({
  username: z.string().regex(/^[A-Za-z0-9_.-]{3,64}$/, reason('auth.reason.username')),
  displayName: z.string().trim().min(1).max(100),
  password: newPassword,
  role: z.enum(ROLES),
  department: orgCode.optional(),
  institution: orgCode.optional(),
  /** The unified code of the subject a subject user acts for. */
  subject: uscc.optional(),
});
export type UserInput = z.input<typeof UserInputSchema>;

export const TokenInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: z.enum(['data_clerk', 'reviewer', 'credit_officer', 'institution_user']),
  department: orgCode.optional(),
  institution: orgCode.optional(),
  /** Days until the token stops working; tokens always expire. */
  expiresInDays: z.number().int().min(1).max(366).default(90),
});
export type TokenInput = z.input<typeof TokenInputSchema>;

/** A code of the second factor, as an authenticator app shows it. */
const totpCode = z.string().regex(/^\d{6}$/, reason('auth.reason.totp'));

export const LoginSchema = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
  /** The second factor's current code: required once the account has one. */
  totp: totpCode.optional(),
});
export type LoginInput = z.input<typeof LoginSchema>;

export const PasswordChangeSchema = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword,
});
export type PasswordChangeInput = z.input<typeof PasswordChangeSchema>;

export const TotpConfirmSchema = z.strictObject({ totp: totpCode });
export type TotpConfirmInput = z.input<typeof TotpConfirmSchema>;

export const TotpDisableSchema = z.strictObject({ password: z.string().min(1).max(256), totp: totpCode });
export type TotpDisableInput = z.input<typeof TotpDisableSchema>;

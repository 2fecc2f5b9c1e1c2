import { z } from 'zod';
import { lookupDivision, validate } from '../identifiers/index.ts';
import { DEPARTMENT_LEVELS, INSTITUTION_KINDS, ROLES } from './auth.types.ts';

const orgCode = z.string().regex(/^[A-Za-z0-9_-]{2,40}$/, 'letters, digits, _ and -, 2 to 40 characters');
const uscc = z
  .string()
  .refine((v) => {
    const r = validate(v);
    return r.kind === 'uscc' && r.valid;
  }, 'must be a valid unified social credit code')
  .transform((v) => validate(v).normalized);
const division = z
  .string()
  .refine((v) => lookupDivision(v).status !== 'malformed', 'must be a division code (GB/T 2260), six digits');
const domain = z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _');

export const DepartmentInputSchema = z.strictObject({
  code: orgCode,
  name: z.string().trim().min(1).max(200),
  division,
  level: z.enum(DEPARTMENT_LEVELS),
  domains: z.array(domain).default([]),
  uscc: uscc.optional(),
});
export type DepartmentInput = z.input<typeof DepartmentInputSchema>;

export const InstitutionInputSchema = z.strictObject({
  code: orgCode,
  name: z.string().trim().min(1).max(200),
  kind: z.enum(INSTITUTION_KINDS),
  uscc: uscc.optional(),
});
export type InstitutionInput = z.input<typeof InstitutionInputSchema>;

export const PASSWORD_MIN = 12;

export const UserInputSchema = z.strictObject({
  username: z.string().regex(/^[A-Za-z0-9_.-]{3,64}$/, 'letters, digits, _ . and -, 3 to 64 characters'),
  displayName: z.string().trim().min(1).max(100),
  password: z.string().min(PASSWORD_MIN, `at least ${PASSWORD_MIN} characters`).max(256),
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

export const LoginSchema = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});

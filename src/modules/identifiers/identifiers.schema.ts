import { z } from 'zod';
import { reason } from '../../platform/reasons.ts';
import { IDENTIFIER_KINDS } from './identifiers.types.ts';

export const MAX_BATCH = 1000;

/**
 * Any string: an overlong one is a failed check in its own result (validate() looks at no more
 * than 64 characters), not a refusal of the whole batch. The body limit caps the request.
 */
const Value = z.string();

export const ValidateRequestSchema = z
  .strictObject({
    value: Value.optional(),
    values: z
      .array(Value)
      .min(1, reason('identifiers.request.at_least_one'))
      .max(MAX_BATCH, reason('identifiers.request.at_most', { max: MAX_BATCH }))
      .optional(),
  })
  .refine((body) => (body.value === undefined) !== (body.values === undefined), {
    message: reason('identifiers.request.one_or_many'),
  });
export type ValidateRequest = z.infer<typeof ValidateRequestSchema>;

export const CheckSchema = z.object({
  name: z.string(),
  result: z.enum(['ok', 'warn', 'fail']),
  message: z.string(),
});

export const ValidationSchema = z.object({
  input: z.string(),
  normalized: z.string(),
  changes: z.array(z.object({ rule: z.string(), message: z.string() })),
  kind: z.enum(IDENTIFIER_KINDS),
  valid: z.boolean(),
  checks: z.array(CheckSchema),
  parts: z.record(z.string(), z.string().nullable()),
  alternatives: z.array(z.object({ kind: z.enum(IDENTIFIER_KINDS), checks: z.array(CheckSchema) })),
});

export const ValidateResponseSchema = z.union([
  ValidationSchema,
  z.object({ results: z.array(ValidationSchema) }),
]);

import { z } from 'zod';
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
      .min(1, 'give at least one value')
      .max(MAX_BATCH, `at most ${MAX_BATCH} values per request`)
      .optional(),
  })
  .refine((body) => (body.value === undefined) !== (body.values === undefined), {
    message: 'give either "value" (one code) or "values" (a list of codes)',
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

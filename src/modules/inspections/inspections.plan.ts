/**
 * A plan of graded inspection sampling as a department gives it (JSON), and the errors that refuse
 * one: every reason is kept (the command line prints them all), the first is the message, with its
 * field, value and rule.
 */
import { z } from 'zod';
import {
  fieldReason,
  reason,
  reasonIn,
  RuleViolationError,
  t,
  validationErrorFromZod,
  ValidationError,
  type Message,
  type Reason,
} from '../../platform/index.ts';
import { RATE_UNITS } from './inspections.draw.ts';

export const MAX_POOL = 100_000;
export const MAX_INSPECTORS = 1000;
export const MAX_PER_SUBJECT = 5;

const Rate = z
  .number()
  .min(0)
  .max(1)
  .refine(
    (v) => Math.abs(v * RATE_UNITS - Math.round(v * RATE_UNITS)) < 1e-6,
    reason('inspections.rate_precision'),
  )
  .describe('the share of the level group drawn, from 0 to 1 (at most four decimal places)');

export const PlanSchema = z
  .strictObject({
    department: z.string().trim().min(1).max(40).describe('the department drawing: the actor’s own'),
    matter: z.string().trim().min(1).max(500).describe('the inspection matter (检查事项)'),
    seedId: z.number().int().positive().describe('a seed the department announced before, unused'),
    pool: z.strictObject({
      codes: z
        .array(z.string().trim().min(1).max(64))
        .min(1)
        .max(MAX_POOL)
        .describe('unified social credit codes (or legacy codes) of the subjects that may be drawn'),
    }),
    rates: z
      .record(z.string().min(1).max(20), Rate)
      .describe(
        'by level of the model in force (e.g. A, B, C, D), and "unrated" for subjects without a result',
      ),
    inspectors: z.strictObject({
      pool: z
        .array(z.string().trim().min(1).max(100))
        .min(1)
        .max(MAX_INSPECTORS)
        .describe('inspectors’ names or staff numbers, each once'),
      perSubject: z.number().int().min(1).max(MAX_PER_SUBJECT),
    }),
  })
  .describe('a plan of graded inspection sampling (双随机、一公开)');

export type Plan = z.output<typeof PlanSchema>;

/** One reason a plan is refused: the field (dotted), the value, the rule, and the reason in full. */
export interface Problem {
  field: string;
  value?: unknown;
  rule: string;
  /** Already names the field ("rates.A: …"). */
  reason: Reason;
}

function refusal(problems: readonly Problem[]): { message: Reason; first: Problem | undefined } {
  const first = problems[0];
  return {
    first,
    message: (locale) =>
      problems.length > 1
        ? t(locale, 'inspections.refused_more', {
            reason: reasonIn(locale, first?.reason ?? ''),
            more: problems.length - 1,
          })
        : t(locale, 'inspections.refused', { reason: reasonIn(locale, first?.reason ?? '') }),
  };
}

/** A plan not of the required shape: every issue kept. */
export class PlanShapeError extends ValidationError {
  constructor(readonly problems: readonly Problem[]) {
    const { message, first } = refusal(problems);
    super(message, { field: first?.field, value: first?.value, rule: first?.rule });
  }
}

/** A well-formed plan a rule refuses (a level without a rate, a natural person, a used seed …). */
export class PlanRuleError extends RuleViolationError {
  constructor(readonly problems: readonly Problem[]) {
    const { message, first } = refusal(problems);
    super(message, { field: first?.field, value: first?.value, rule: first?.rule });
  }
}

/** The problems of a refused plan, for whoever prints every reason. */
export function planProblems(err: unknown): readonly Problem[] | undefined {
  return err instanceof PlanShapeError || err instanceof PlanRuleError ? err.problems : undefined;
}

/** The plan, or a PlanShapeError with every issue; then the checks of what the shape cannot say. */
export function parsePlan(input: unknown): Plan {
  const parsed = PlanSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    throw new PlanShapeError(
      parsed.error.issues.map((issue) => {
        const e = validationErrorFromZod([issue], input);
        return {
          field: e.field ?? '',
          value: e.value,
          rule: e.rule ?? issue.code,
          reason: e.localized ?? e.message,
        };
      }),
    );
  }
  const problems = inspectorProblems(parsed.data);
  if (problems.length > 0) {
    throw new PlanShapeError(problems);
  }
  return parsed.data;
}

/** A problem about `field`, its reason from the catalogue ("field: reason"). */
export function problem(field: string, rule: string, message: Message, value?: unknown): Problem {
  return {
    field,
    rule,
    ...(value === undefined ? {} : { value }),
    reason: fieldReason(field, message),
  };
}

function inspectorProblems(plan: Plan): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  plan.inspectors.pool.forEach((name, i) => {
    if (seen.has(name)) {
      problems.push(
        problem(
          `inspectors.pool.${i}`,
          'inspection.inspector_unique',
          { key: 'inspections.inspector_twice', params: { name } },
          name,
        ),
      );
    }
    seen.add(name);
  });
  if (seen.size < plan.inspectors.perSubject) {
    problems.push(
      problem(
        'inspectors.perSubject',
        'inspection.too_few_inspectors',
        {
          key: 'inspections.too_few_inspectors',
          params: { perSubject: plan.inspectors.perSubject, pool: seen.size },
        },
        plan.inspectors.perSubject,
      ),
    );
  }
  return problems;
}

/** The shapes the lists API accepts, as zod schemas (their types are the service's inputs). */
import { z } from 'zod';
import { CivilDateSchema } from '../../platform/calendar/index.ts';
import { DEPARTMENT_LEVELS } from '../auth/index.ts';
import { LENIENCY_FLAGS, LIST_KINDS, REMOVAL_REASONS, SERIOUS_CATEGORIES } from './lists.types.ts';

const date = CivilDateSchema;
const text = z.string().max(4000);

export const ListTypeSchema = z.object({
  code: z.string().regex(/^[A-Za-z0-9_-]{2,64}$/, 'letters, digits, _ and -, 2 to 64'),
  nameZh: z.string().min(1).max(200),
  kind: z.enum(LIST_KINDS),
  domain: z.string().min(1).max(64),
  categories: z.array(z.enum(SERIOUS_CATEGORIES)).default([]),
  legalBases: z.array(
    z.object({ basis: z.string().min(1), of: z.enum(['list', 'standard']), article: z.string().optional() }),
  ),
  standardComment: z.object({ from: date, to: date, where: z.string() }).optional(),
  designation: z.object({ minLevel: z.enum(DEPARTMENT_LEVELS), exceptionBasis: z.string().optional() }),
  removal: z.object({ conditions: text, procedure: text }),
  remedies: text,
  validityMonths: z.number().int().nullable(),
  objectionDays: z.number().int().min(0).max(60),
  announcementDays: z.number().int().min(0).max(60).optional(),
});

export const ProposeSchema = z.object({
  listType: z.string().min(1),
  subjectCode: z.string().min(1).max(64),
  facts: z.object({
    reasons: text,
    basis: text,
    actDate: date,
    category: z.enum(SERIOUS_CATEGORIES).optional(),
  }),
  leniency: z
    .object({
      force_majeure: z.boolean().optional(),
      unintentional: z.boolean().optional(),
      minor_act: z.boolean().optional(),
    })
    .optional(),
});

const documentNumber = z.string().min(1).max(200);

export const StepSchema = z.discriminatedUnion('step', [
  z.object({ step: z.enum(['notify', 'announce', 'decide', 'confirm']), documentNumber }),
  z.object({ step: z.literal('object'), statement: text }),
  z.object({
    step: z.literal('answer'),
    outcome: z.enum(['upheld', 'rejected']),
    reply: text,
    documentNumber,
  }),
  z.object({ step: z.literal('weigh'), weighed: z.partialRecord(z.enum(LENIENCY_FLAGS), text) }),
  z.object({ step: z.literal('flag'), supervision: text }),
  z.object({ step: z.literal('remove'), reason: z.enum(REMOVAL_REASONS), note: text, documentNumber }),
  z.object({ step: z.literal('withdraw'), note: text }),
]);

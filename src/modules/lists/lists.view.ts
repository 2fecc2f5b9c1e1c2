/** What the lists API answers, as zod schemas: list types as defined, cases as presented. */
import { z } from 'zod';
import { DEPARTMENT_LEVELS } from '../auth/index.ts';
import { DOCUMENT_KINDS, type DocumentKind } from './lists.documents.ts';
import { STEPS } from './lists.rules.ts';
import { LENIENCY_FLAGS, LIST_KINDS, REMOVAL_REASONS, SERIOUS_CATEGORIES } from './lists.types.ts';

/** A list type as it was defined (`ListTypeDefinition`); the rules of a new one are in ListTypeSchema. */
export const ListTypeView = z.object({
  code: z.string(),
  nameZh: z.string(),
  kind: z.enum(LIST_KINDS),
  domain: z.string(),
  categories: z.array(z.enum(SERIOUS_CATEGORIES)),
  legalBases: z.array(
    z.object({ basis: z.string(), of: z.enum(['list', 'standard']), article: z.string().optional() }),
  ),
  standardComment: z.object({ from: z.string(), to: z.string(), where: z.string() }).optional(),
  designation: z.object({ minLevel: z.enum(DEPARTMENT_LEVELS), exceptionBasis: z.string().optional() }),
  removal: z.object({ conditions: z.string(), procedure: z.string() }),
  remedies: z.string(),
  validityMonths: z.number().int().nullable().describe('how long an entry stays listed; null: until removed'),
  objectionDays: z.number().int(),
  announcementDays: z.number().int().optional(),
});

/** A list type or memorandum created, or found to exist already (`created: false`). */
export const CreatedView = z.object({ code: z.string(), created: z.boolean() });

const DOCUMENT_KIND_CODES = Object.keys(DOCUMENT_KINDS) as [DocumentKind, ...DocumentKind[]];

/** A document of a case as issued (`CaseDocument`): what the HTML at `href` renders. */
const CaseDocumentView = z.object({
  kind: z.enum(DOCUMENT_KIND_CODES),
  title: z.string(),
  number: z.string(),
  date: z.string(),
  department: z.object({ code: z.string(), name: z.string() }),
  party: z.object({ name: z.string(), code: z.string() }),
  sections: z.array(z.object({ heading: z.string(), text: z.union([z.string(), z.array(z.string())]) })),
});

const CASE_STATUS = z.enum([
  'proposed',
  'notified',
  'objected',
  'answered',
  'announced',
  'listed',
  'removed',
  'withdrawn',
]);

/** A case in a department's queue, as `presentSummary` shows it. */
export const CaseSummarySchema = z.object({
  id: z.number(),
  listType: z.object({ code: z.string(), name: z.string(), kind: z.enum(LIST_KINDS) }),
  subject: z.object({
    id: z.number(),
    name: z.string(),
    code: z.string().describe('its first code, as the case’s documents show it'),
  }),
  department: z.string(),
  status: CASE_STATUS,
  open: z.boolean().describe('still in due process: not yet listed, withdrawn or removed'),
  proposedOn: z.string().describe('when the case was proposed (an instant)'),
  notifiedOn: z.string().nullable(),
  objectionUntil: z.string().nullable(),
  decidedOn: z.string().nullable(),
  validUntil: z.string().nullable(),
  removedOn: z.string().nullable(),
  nextSteps: z.array(z.enum(STEPS)).describe('the steps due process allows today'),
  dueOn: z
    .string()
    .nullable()
    .describe('the day that matters next: the objection window’s last day, or the listing’s end'),
  due: z.enum(['objection_window', 'validity']).nullable().describe('what dueOn is'),
});

/** A designation case as `presentCase` shows it. */
export const CaseViewSchema = z.object({
  id: z.number(),
  listType: z.object({ code: z.string(), name: z.string(), kind: z.enum(LIST_KINDS) }),
  subjectId: z.number(),
  department: z.string(),
  status: CASE_STATUS,
  removedByClock: z.boolean().describe('off the list because its validity ended, not by a removal'),
  facts: z.object({
    reasons: z.string(),
    basis: z.string(),
    actDate: z.string(),
    category: z.enum(SERIOUS_CATEGORIES).optional(),
  }),
  leniency: z.object({
    flags: z.partialRecord(z.enum(LENIENCY_FLAGS), z.boolean()),
    weighed: z.partialRecord(z.enum(LENIENCY_FLAGS), z.string()),
  }),
  notifiedOn: z.string().nullable(),
  objectionUntil: z.string().nullable(),
  decidedOn: z.string().nullable(),
  validUntil: z.string().nullable(),
  recordId: z.number().nullable(),
  removedOn: z.string().nullable(),
  removal: z.object({ reason: z.string().describe(REMOVAL_REASONS.join(', ')), note: z.string() }).nullable(),
  steps: z.array(
    z.object({
      id: z.number(),
      step: z.string(),
      on: z.string(),
      by: z.string(),
      document: z
        .object({
          kind: z.string(),
          number: z.string().nullable(),
          content: CaseDocumentView,
          href: z.string().describe('the document as HTML'),
        })
        .nullable(),
    }),
  ),
});

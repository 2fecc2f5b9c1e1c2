/** What the measures and checks API answers, as zod schemas (the services' types, field by field). */
import { z } from 'zod';
import { MATTERS } from '../disclosure/index.ts';
import {
  BINDINGS,
  DIRECTIONS,
  EFFECTS,
  MEASURE_CATEGORIES,
  OBLIGATIONS,
  PERSON_ROLES,
} from './measures.types.ts';

/** A measure of the list (`Measure`), with its legal basis. */
export const MeasureView = z.object({
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  direction: z.enum(DIRECTIONS),
  obligation: z.enum(OBLIGATIONS),
  binding: z.enum(BINDINGS),
  category: z.enum(MEASURE_CATEGORIES),
  effect: z.enum(EFFECTS),
  matters: z.array(z.enum(MATTERS)),
  subjectKinds: z.array(z.enum(['legal_person', 'other_org', 'individual_business', 'natural_person'])),
  personRoles: z.array(z.enum(PERSON_ROLES)),
  implementers: z.array(z.string()),
  legalBasis: z.object({
    basis: z.string(),
    seed: z.object({ file: z.string(), line: z.number() }).describe('where the text says it'),
    quote: z.string(),
  }),
  duration: z.string(),
  note: z.string().optional(),
});

export const MemorandumView = z.object({
  code: z.string(),
  name: z.string(),
  signedOn: z.string(),
  signatories: z.array(z.string()),
  basis: z.string(),
  entries: z.number().describe('how many list–measure entries it has'),
});

const Via = z.object({ role: z.string(), organisation: z.object({ id: z.number(), name: z.string() }) });

/** A list entry in force behind a check (`Entry`). */
const EntryView = z.object({
  recordId: z.number(),
  item: z.string(),
  listType: z.object({ code: z.string(), name: z.string(), kind: z.string() }),
  decisionDate: z.string().nullable(),
  documentNumber: z.string(),
  department: z.string(),
  status: z.string(),
  validUntil: z.string().nullable(),
  via: Via.optional().describe('for a person reached through an organisation: the role and the organisation'),
});

/** A measure a check returns, with the evidence and the explanation (`SelectedMeasure`). */
const SelectedMeasureView = z.object({
  measure: MeasureView,
  listType: z.string(),
  memorandum: z.string().nullable(),
  obligation: z.enum(OBLIGATIONS),
  status: z.enum(['applicable', 'suspended']),
  evidence: z.object({
    kind: z.enum(['list_entry', 'clean_record']),
    recordId: z.number().optional(),
    listType: z.string().optional(),
    documentNumber: z.string().optional(),
    decisionDate: z.string().nullable().optional(),
    via: Via.optional(),
    since: z.string().optional(),
  }),
  explanation: z.string(),
});

/** A credit check's result (`CheckResult`). */
export const CheckResultView = z.object({
  id: z.number(),
  asOf: z.string(),
  matter: z.string(),
  purpose: z.string(),
  subject: z.object({ kind: z.string(), name: z.string(), code: z.string() }),
  entries: z.array(EntryView),
  records: z.array(
    z.object({
      id: z.number(),
      item: z.string(),
      tier: z.string().nullable(),
      decisionDate: z.string().nullable(),
      status: z.string(),
      documentNumber: z.string(),
      department: z.string(),
      displayUntil: z.string().nullable(),
    }),
  ),
  measures: z.array(SelectedMeasureView).describe('punishments'),
  incentives: z.array(SelectedMeasureView),
  related: z.array(
    z.object({
      role: z.string(),
      name: z.string(),
      entries: z.array(EntryView),
      measures: z.array(SelectedMeasureView),
    }),
  ),
});

/** A batch check (`CheckService.batch`): one item per subject asked about, and the counts. */
export const BatchView = z.object({
  results: z.array(
    z.object({
      given: z.string(),
      status: z.enum(['found', 'not_found', 'ambiguous', 'invalid']),
      message: z.string().optional(),
      candidates: z.number().optional().describe('how many organisations bear an ambiguous name'),
      review: z.number().optional().describe('the review-queue entry an ambiguous name became'),
      result: CheckResultView.optional(),
    }),
  ),
  summary: z
    .record(z.string(), z.number())
    .describe(
      'subjects, checked, notFound, ambiguous, invalid, withPunishment, withSuspended, withIncentive',
    ),
});

export const ReviewView = z.object({
  id: z.number(),
  name: z.string(),
  matter: z.string(),
  purpose: z.string(),
  candidates: z.number(),
  createdAt: z.date(),
});

/** Per measure, department and list (`MeasureStat`). */
export const MeasureStatView = z.object({
  measure: z.string(),
  department: z.string(),
  listType: z.string(),
  returned: z.number(),
  suspended: z.number(),
  applied: z.number(),
  notApplied: z.number(),
  noFeedback: z.number(),
});

/** A memorandum signed in, or found signed in already (`created: false`). */
export const MemorandumCreatedView = z.object({ code: z.string(), created: z.boolean() });

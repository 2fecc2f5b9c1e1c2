/** The public view of the catalog: what the platform may hold, why, and for how long. */
import { z } from 'zod';
import { CATEGORIES, LEGAL_RANKS, SUBJECT_KINDS, TIERS } from './catalog.schema.ts';

const DeadlineView = z.object({
  workingDays: z.number().int(),
  source: z.enum(['item', 'platform']).describe('set by the item, or the platform’s default'),
});

const PeriodView = z.object({
  tier: z.enum(TIERS).nullable(),
  shortestMonths: z.number().nullable(),
  longestMonths: z.number().nullable(),
  public: z.boolean(),
  summary: z.string(),
});

export const ItemViewSchema = z.object({
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  category: z.enum(CATEGORIES),
  catalog: z.string(),
  version: z.number(),
  subjectKinds: z.array(z.enum(SUBJECT_KINDS)),
  isList: z.boolean(),
  collectingDepartment: z.string(),
  /** Who may send the item: departments of these domains (at these levels), or these departments. */
  collectors: z.object({
    domains: z.array(z.string()),
    levels: z.array(z.string()),
    departments: z.array(z.string()),
    summary: z.string(),
  }),
  sharing: z.enum(['unconditional', 'conditional', 'none']),
  disclosure: z.enum(['public', 'subject_only', 'none']),
  dishonesty: z.boolean(),
  document: z.string().nullable(),
  severity: z.string().nullable(),
  deadlines: z
    .object({ objection: DeadlineView, repair: DeadlineView })
    .describe('working days the department has to decide an objection and a repair application'),
  display: z.array(PeriodView),
  repair: z.object({ repairable: z.boolean(), outcome: z.string().nullable() }).nullable(),
  legalBases: z.array(
    z.object({
      code: z.string(),
      title: z.string(),
      docNumber: z.string().nullable(),
      article: z.string().nullable(),
      rank: z.enum(LEGAL_RANKS),
      uses: z.array(z.string()),
    }),
  ),
  personalInformation: z.object({
    fields: z.array(z.string()),
    disclosedOnLegalBasis: z.boolean(),
    basis: z.string().nullable(),
  }),
  fields: z.array(
    z.object({
      key: z.string(),
      nameZh: z.string(),
      nameEn: z.string(),
      type: z.string(),
      required: z.boolean(),
      personal: z.union([z.boolean(), z.literal('natural_person')]),
      identifierKind: z.string().nullable(),
      values: z.array(z.string()).nullable(),
    }),
  ),
});
export type ItemView = z.output<typeof ItemViewSchema>;

export const CatalogViewSchema = z.object({
  catalogs: z.array(
    z.object({
      code: z.string(),
      kind: z.enum(['national_base', 'local_supplementary']),
      nameZh: z.string(),
      nameEn: z.string(),
      version: z.number().nullable(),
      loadedAt: z.string().nullable(),
    }),
  ),
  items: z.array(ItemViewSchema),
});

/**
 * The shape of a catalog file and of everything in it. A catalog that parses still has to pass
 * the rules in catalog.rules.ts before it is loaded.
 */
import { z } from 'zod';
import { CivilDateSchema } from '../../platform/calendar/index.ts';
import { IDENTIFIER_KINDS } from '../identifiers/index.ts';

export const LEGAL_RANKS = [
  'law',
  'administrative_regulation',
  'local_regulation',
  'state_council_decision',
  'central_policy',
  'judicial_interpretation',
  'departmental_rule',
  'local_government_rule',
  'normative_document',
] as const;
export type LegalRank = (typeof LEGAL_RANKS)[number];

/**
 * Working days the supplying department has to decide an objection, unless the item sets its own
 * `objectionWorkingDays`: 5, as the Shanghai and Zhejiang social credit regulations set (the seeds
 * say only 规定时限).
 */
export const DEFAULT_OBJECTION_WORKING_DAYS = 5;
/**
 * Working days the determining department has to decide a complete repair application, unless the
 * item sets its own `repairWorkingDays`: 3, as Shenzhen's social credit regulation sets.
 */
export const DEFAULT_REPAIR_WORKING_DAYS = 3;

export const CATEGORIES = [
  'registration',
  'administrative_licensing',
  'administrative_penalty',
  'administrative_compulsion',
  'judicial',
  'serious_dishonesty_list',
  'red_list',
  'watch_list',
  'commitment',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const SUBJECT_KINDS = [
  'legal_person',
  'other_org',
  'individual_business',
  'natural_person',
  'government_body',
] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export const TIERS = ['minor', 'general', 'serious'] as const;
export type Tier = (typeof TIERS)[number];

export const REPAIR_OUTCOMES = [
  'end_disclosure',
  'stop_sharing',
  'mark_repaired',
  'shield',
  'delete',
  'remove_from_list',
] as const;
/** What a credit repair does to a record (国办发〔2020〕49号（十二）), in the catalog, on records and in code. */
export type RepairOutcome = (typeof REPAIR_OUTCOMES)[number];

/** What a legal basis is cited for. */
export const BASIS_USES = [
  'record',
  'share',
  'disclose',
  'disclose_personal',
  'display',
  'unrepairable',
] as const;
export type BasisUse = (typeof BASIS_USES)[number];

/** Roles tell the rest of the platform which field holds what (the decision date, the document number…). */
export const FIELD_ROLES = [
  'subject_name',
  'subject_category',
  'subject_code',
  'subject_person_id',
  'legal_representative_name',
  'legal_representative_id',
  'person_name',
  'person_id',
  'person_role',
  'document_type',
  'document_number',
  'decision_date',
  'valid_from',
  'valid_until',
  'disclosure_until',
  'authority_name',
  'authority_code',
  'severity',
  'penalty_types',
  'fine_amount_wan',
  'list_type',
  /** 当前状态: 撤销 withdraws the record. */
  'record_status',
  /** 登记状态 of a registration item: 注销, 吊销 and 撤销 deregister the subject. */
  'registration_status',
  /** The department's own id of the record, for items without a decision document. */
  'source_record_id',
  /** 数据来源单位统一社会信用代码: the sending department's own code. */
  'source_code',
] as const;

const code = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _ , starting with a letter');
const civilDate = CivilDateSchema;

export const LegalBasisSchema = z.strictObject({
  code: z.string().regex(/^[A-Z0-9][A-Z0-9-]*$/, 'capital letters, digits and -'),
  title: z.string().trim().min(1),
  docNumber: z.string().trim().min(1).optional(),
  issuer: z.string().trim().min(1),
  rank: z.enum(LEGAL_RANKS),
  effectiveFrom: civilDate.optional(),
  seedRef: z.string().optional(),
  note: z.string().optional(),
});
export type LegalBasis = z.output<typeof LegalBasisSchema>;

export const MaskRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('citizen_id') }),
  z.strictObject({ kind: z.literal('name') }),
  z.strictObject({ kind: z.literal('keep'), first: z.number().int().min(0), last: z.number().int().min(0) }),
  z.strictObject({ kind: z.literal('full') }),
]);

export const FieldSchema = z.strictObject({
  key: code,
  nameZh: z.string().trim().min(1),
  nameEn: z.string().trim().min(1),
  /** Other column headings departments use for this field. */
  aliases: z.array(z.string().trim().min(1)).default([]),
  type: z.enum(['text', 'code', 'date', 'decimal', 'integer', 'enum', 'boolean']),
  values: z.array(z.string().min(1)).min(1).optional(),
  required: z.boolean().default(false),
  identifierKind: z.enum(IDENTIFIER_KINDS).optional(),
  /** Personal information: always, or when the subject is a natural person (a name that is a person's). */
  personal: z.union([z.boolean(), z.literal('natural_person')]).default(false),
  masking: MaskRuleSchema.optional(),
  /** `never`: not disclosed to anyone but the subject, even masked, whatever the item allows. */
  disclosure: z.enum(['as_item', 'never']).default('as_item'),
  role: z.enum(FIELD_ROLES).optional(),
  maxLength: z.number().int().positive().optional(),
  /**
   * A date that ends or follows something (有效期至, 公示截止期, 移出日期) names the date fields it
   * may not precede (the decision date, 有效期自): a row where it does is refused (date.order).
   */
  notBefore: z.array(code).min(1).optional(),
});
export type Field = z.output<typeof FieldSchema>;

export const DisplayPeriodSchema = z.strictObject({
  /** Months from the decision date before repair may be applied for; null where it does not apply. */
  shortestMonths: z.number().int().min(0).nullable(),
  /** Months from the decision date after which disclosure ends by itself; null: no end (lists end by removal). */
  longestMonths: z.number().int().min(0).nullable(),
  /** False: shared per the sharing scope, not disclosed to the public. */
  public: z.boolean(),
});
export type DisplayPeriod = z.output<typeof DisplayPeriodSchema>;

export const DisplaySchema = z
  .strictObject({
    from: z.literal('decision_date'),
    default: DisplayPeriodSchema.optional(),
    tiers: z
      .strictObject({
        minor: DisplayPeriodSchema,
        general: DisplayPeriodSchema,
        serious: DisplayPeriodSchema,
      })
      .optional(),
  })
  .refine((d) => (d.default === undefined) !== (d.tiers === undefined), {
    message: 'give either one default period or periods for the three tiers',
  });

const TierConditionSchema = z.strictObject({
  /** Any of these penalty types is present. */
  penaltyTypesAny: z.array(z.string().min(1)).optional(),
  /** Every penalty type is one of these. */
  penaltyTypesOnly: z.array(z.string().min(1)).optional(),
  /** The fine (in 10,000 yuan) is at most this, per kind of subject (`natural_person`, `other`). */
  fineAtMostWan: z.strictObject({ natural_person: z.number().min(0), other: z.number().min(0) }).optional(),
  /** The fine (in 10,000 yuan) is at least this. */
  fineAtLeastWan: z.number().min(0).optional(),
});

export const TierRuleSchema = z.strictObject({
  tier: z.enum(TIERS),
  when: TierConditionSchema,
  reason: z.string().trim().min(1),
});
export type TierRule = z.output<typeof TierRuleSchema>;

export const SeveritySchema = z.union([
  z.strictObject({ fixed: z.enum(TIERS) }),
  z.strictObject({
    /** The field the department fills, and how its values map to tiers. */
    field: code,
    values: z.record(z.string(), z.enum(TIERS)),
    /** Applied in order when the field is empty; the first rule that matches decides. */
    rule: z.array(TierRuleSchema).min(1).optional(),
    /** When the field is empty and no rule applies. */
    default: z.enum(TIERS).optional(),
  }),
]);
export type Severity = z.output<typeof SeveritySchema>;

export const ItemBasisSchema = z.strictObject({
  basis: z.string().min(1),
  article: z.string().optional(),
  uses: z.array(z.enum(BASIS_USES)).min(1),
});

/**
 * Who collects an item (国办发〔2020〕49号（一）: the department that determines the information
 * records it). A department collects the item when the item names it, or when one of its domains
 * is named and its level is among the levels (any level when none are named).
 */
export const CollectorsSchema = z.strictObject({
  domains: z.array(code).default([]),
  levels: z.array(z.enum(['national', 'provincial', 'prefectural', 'county', 'township'])).default([]),
  departments: z.array(z.string().regex(/^[A-Za-z0-9_-]{2,40}$/, 'a department code')).default([]),
});
export type Collectors = z.output<typeof CollectorsSchema>;

export const CatalogItemSchema = z.strictObject({
  code,
  nameZh: z.string().trim().min(1),
  nameEn: z.string().trim().min(1),
  category: z.enum(CATEGORIES),
  subjectKinds: z.array(z.enum(SUBJECT_KINDS)).min(1),
  /** A list: entries stay until removed, rather than for a display period. */
  isList: z.boolean().default(false),
  fields: z
    .array(z.union([FieldSchema, z.string().regex(/^@[a-z_]+$/, 'a field set reference such as @subject')]))
    .min(1),
  legalBases: z.array(ItemBasisSchema).min(1, 'an item needs a legal basis'),
  collectingDepartment: z.string().trim().min(1),
  collectors: CollectorsSchema,
  sharing: z.enum(['unconditional', 'conditional', 'none']),
  disclosure: z.enum(['public', 'subject_only', 'none']),
  display: DisplaySchema,
  dishonesty: z.boolean(),
  /** The legally effective document a dishonesty record rests on: its type, or the field holding it. */
  document: z.strictObject({ type: z.string().trim().min(1) }).optional(),
  severity: SeveritySchema.optional(),
  repair: z
    .strictObject({ repairable: z.boolean(), outcome: z.enum(REPAIR_OUTCOMES).nullable().default(null) })
    .optional(),
  /** The basis that allows personal fields to be disclosed; without one they are disclosed only with consent. */
  personalDisclosureBasis: z.string().optional(),
  /** Working days from decision to receipt before a record counts as late (licensing, penalty: 7). */
  timelinessWorkingDays: z.number().int().positive().optional(),
  /**
   * Working days the supplying department has to decide an objection to a record of this item
   * (default 5, as the Shanghai and Zhejiang regulations set; the seeds say only 规定时限).
   */
  objectionWorkingDays: z.number().int().min(1).max(60).optional(),
  /**
   * Working days the determining department has to decide a complete repair application (default
   * 3, as Shenzhen's regulation sets).
   */
  repairWorkingDays: z.number().int().min(1).max(60).optional(),
});
export type CatalogItemInput = z.input<typeof CatalogItemSchema>;

export const CatalogFileSchema = z.strictObject({
  $comment: z.string().optional(),
  catalog: z.strictObject({
    code: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and -'),
    kind: z.enum(['national_base', 'local_supplementary']),
    nameZh: z.string().trim().min(1),
    nameEn: z.string().trim().min(1),
    /** A local catalog's division (GB/T 2260). */
    division: z
      .string()
      .regex(/^\d{6}$/)
      .optional(),
    legalBases: z.array(z.string().min(1)).min(1, 'a catalog rests on a legal basis'),
  }),
  legalBases: z.array(LegalBasisSchema).default([]),
  fieldSets: z.record(z.string(), z.array(FieldSchema)).default({}),
  items: z.array(CatalogItemSchema).min(1),
});
export type CatalogFile = z.output<typeof CatalogFileSchema>;

/** An item as stored and used: field-set references expanded. */
export type CatalogItem = Omit<z.output<typeof CatalogItemSchema>, 'fields'> & { fields: Field[] };

/**
 * An evaluation model as a file says it (JSON, checked like the catalog): indicators over a
 * subject's records, their weights, the base score and the levels. Parsing checks the shape;
 * evaluation.rules.ts checks what the shape cannot say (known items, parsable weights, levels that
 * neither overlap nor leave a gap, natural persons never scored).
 */
import { z } from 'zod';

/** Who may be evaluated: market entities. A model naming anyone else is refused by the rules. */
export const EVALUATED_KINDS = ['legal_person', 'other_org', 'individual_business'] as const;
export type EvaluatedKind = (typeof EVALUATED_KINDS)[number];

export const TIERS = ['minor', 'general', 'serious'] as const;

/** What a record's state does to an indicator: it counts, or it is left out. */
const Treatment = z.enum(['count', 'exclude']);
const Treatments = z
  .object({
    displayEnded: Treatment.optional(),
    repaired: Treatment.optional(),
    underObjection: Treatment.optional(),
  })
  .strict();

const Text = z.string().trim().min(1).max(200);
const Code = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/);
/** A decimal number written as text, at most two places: parsed by the rules, exactly. */
const DecimalText = z.string().max(12);

const Common = {
  code: Code,
  nameZh: Text,
  nameEn: Text,
  descriptionZh: z.string().max(1000).optional(),
  descriptionEn: z.string().max(1000).optional(),
  /** The catalog items whose records the indicator reads. */
  items: z.array(Code).min(1).max(20),
  weight: DecimalText,
  treatment: Treatments.optional(),
};

/** The number of records counted, times points each, up to `cap` records. */
const CountIndicator = z
  .object({
    ...Common,
    kind: z.literal('count'),
    tiers: z.array(z.enum(TIERS)).min(1).max(3).optional(),
    /** Only records decided within this many months before the evaluation day. */
    withinMonths: z.number().int().min(1).max(600).optional(),
    pointsEach: z.number().int().min(-100).max(100),
    cap: z.number().int().min(1).max(100),
  })
  .strict();

/** Whole years since the latest counted record of the items (else since registration), up to `cap`. */
const YearsWithoutIndicator = z
  .object({
    ...Common,
    kind: z.literal('years_without'),
    /** The item whose record dates registration, when the subject has no counted record. */
    registrationItem: Code,
    pointsPerYear: z.number().int().min(-100).max(100),
    cap: z.number().int().min(1).max(100),
  })
  .strict();

/** Whole years since registration (the item's latest record's decision date), up to `cap`. */
const RegistrationAgeIndicator = z
  .object({
    ...Common,
    kind: z.literal('registration_age'),
    pointsPerYear: z.number().int().min(-100).max(100),
    cap: z.number().int().min(1).max(100),
  })
  .strict();

export const IndicatorSchema = z.discriminatedUnion('kind', [
  CountIndicator,
  YearsWithoutIndicator,
  RegistrationAgeIndicator,
]);
export type Indicator = z.infer<typeof IndicatorSchema>;
export type TreatmentRules = Required<z.infer<typeof Treatments>>;

export const LevelSchema = z
  .object({
    code: z.string().regex(/^[A-Z][A-Z0-9+-]{0,3}$/),
    nameZh: Text,
    nameEn: Text,
    /** The lowest score of the level (inclusive); null: no lower bound. */
    min: DecimalText.nullable(),
    /** The score the next level starts at (exclusive); null: no upper bound. */
    below: DecimalText.nullable(),
    descriptionZh: z.string().max(1000).optional(),
    descriptionEn: z.string().max(1000).optional(),
  })
  .strict();
export type Level = z.infer<typeof LevelSchema>;

export const ModelFileSchema = z
  .object({
    $comment: z.string().optional(),
    model: z
      .object({
        code: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/),
        version: z.number().int().min(1).max(9999),
        nameZh: Text,
        nameEn: Text,
        descriptionZh: z.string().max(4000),
        descriptionEn: z.string().max(4000),
        /** Legal bases of the catalog's register. */
        legalBases: z.array(z.string().min(1).max(60)).min(1).max(20),
        subjectKinds: z.array(z.string().max(40)).min(1).max(5),
        base: DecimalText,
        /** Whether the public may see a subject's level (never its score or explanation). */
        publicLevel: z.boolean(),
        treatment: Treatments,
      })
      .strict(),
    indicators: z.array(IndicatorSchema).min(1).max(50),
    levels: z.array(LevelSchema).min(2).max(10),
  })
  .strict();
export type ModelFile = z.infer<typeof ModelFileSchema>;

/**
 * The measure list (措施清单) as data: every incentive and punishment measure the platform may
 * apply, each citing its legal basis directly (国办发〔2020〕49号 (九)): nothing outside the list.
 */
import type { Matter } from '../disclosure/index.ts';

export const DIRECTIONS = ['incentive', 'punishment'] as const;
/** Mandatory: must be applied jointly by law; recommended: may be applied as circumstances allow (国发〔2016〕33号 (二十)). */
export const OBLIGATIONS = ['mandatory', 'recommended'] as const;
/**
 * Binding: a department applies it. Reference: carried out by banks, insurers, credit agencies,
 * associations or media, which no department may force (国办发〔2020〕49号 (九)).
 */
export const BINDINGS = ['binding', 'reference'] as const;
export const MEASURE_CATEGORIES = ['administrative', 'market', 'industry', 'social'] as const;
export const EFFECTS = [
  'reference',
  'prudential_reference',
  'strict_review',
  'restrict',
  'prohibit',
  'revoke',
  'suspend',
  'disclose',
  'record',
  'warn',
  'criticise',
  'censure',
  'fewer_inspections',
  'green_channel',
  'accept_with_missing',
  'priority',
  'credit_bonus',
  'preferential_terms',
  'promote',
] as const;

/** Roles through which a measure reaches a natural person, as registration data names them. */
export const PERSON_ROLES = [
  '法定代表人',
  '主要负责人',
  '实际控制人',
  '董事',
  '监事',
  '高级管理人员',
  '股东',
  '直接责任人员',
] as const;

export type Direction = (typeof DIRECTIONS)[number];
export type Obligation = (typeof OBLIGATIONS)[number];
export type Binding = (typeof BINDINGS)[number];
export type MeasureCategory = (typeof MEASURE_CATEGORIES)[number];
export type Effect = (typeof EFFECTS)[number];
export type PersonRole = (typeof PERSON_ROLES)[number];

export interface Measure {
  /** JIP-A01…, JIP-M01…, JIP-I01…, JIP-S01…, JIP-P01… (incentives), JD-1-1… (dishonest debtors). */
  code: string;
  nameZh: string;
  nameEn: string;
  direction: Direction;
  obligation: Obligation;
  binding: Binding;
  category: MeasureCategory;
  effect: Effect;
  /** The administrative matters in which a credit check applies it. */
  matters: Matter[];
  /** Subject kinds it reaches directly. */
  subjectKinds: Array<'legal_person' | 'other_org' | 'individual_business' | 'natural_person'>;
  /** Roles through which it reaches the persons of an organisation (empty: the subject only). */
  personRoles: PersonRole[];
  /** Who carries it out, as the source text names them. */
  implementers: string[];
  legalBasis: {
    /** A code in the catalog's legal bases. */
    basis: string;
    /** Where the text says it: seed file and line. */
    seed: { file: string; line: number };
    /** The words of the source that establish the measure. */
    quote: string;
  };
  /** How long it lasts, in words (e.g. while listed). */
  duration: string;
  /** Why obligation and binding are what they are, in one sentence. */
  note?: string;
}

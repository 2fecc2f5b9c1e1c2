/** List types and designation cases: the words the lists module speaks. */
import type { DepartmentLevel } from '../auth/index.ts';

/** Kinds of list, and the catalog item a list entry of each kind is a record of. */
export const LIST_KINDS = [
  'serious_dishonesty',
  'red',
  'dishonest_debtor',
  'abnormal_operation',
  'watch',
] as const;
export type ListKind = (typeof LIST_KINDS)[number];

export const ITEM_OF_KIND: Readonly<Record<ListKind, string>> = {
  serious_dishonesty: 'serious_dishonesty_list',
  red: 'red_list',
  dishonest_debtor: 'dishonest_judgment_debtor',
  abnormal_operation: 'abnormal_operation',
  watch: 'watch_list',
};

/** Lists whose entries arrive by ingest with the deciding body's document, never by a case here. */
export const INGESTED_KINDS: readonly ListKind[] = ['dishonest_debtor', 'abnormal_operation'];

/**
 * The four categories of serious dishonesty a punishment list may serve, and no other
 * (国发〔2016〕33号 (九); 国办发〔2020〕49号 (六)).
 */
export const SERIOUS_CATEGORIES = [
  'health_safety',
  'fair_competition',
  'legal_duty',
  'national_defence',
] as const;
export type SeriousCategory = (typeof SERIOUS_CATEGORIES)[number];

export const CATEGORY_NAMES: Readonly<Record<SeriousCategory, string>> = {
  health_safety: '严重危害人民群众身体健康和生命安全',
  fair_competition: '严重破坏市场公平竞争秩序和社会正常秩序',
  legal_duty: '拒不履行法定义务，严重影响司法机关、行政机关公信力',
  national_defence: '拒不履行国防义务',
};

/** Grounds for lenience in designation (国办发〔2020〕49号 (十六)). */
export const LENIENCY_FLAGS = ['minor', 'force_majeure', 'unintentional', 'minor_act'] as const;
export type LeniencyFlag = (typeof LENIENCY_FLAGS)[number];

/** How decision documents name each ground for lenience. */
export const LENIENCY_NAMES: Readonly<Record<LeniencyFlag, string>> = {
  minor: '行为时未成年',
  force_majeure: '不可抗力',
  unintentional: '非主观故意',
  minor_act: '轻微失信',
};

/** Why an entry leaves a list before its validity ends: each a reviewer's act. */
export const REMOVAL_REASONS = ['repair', 'court', 'reconsideration', 'error'] as const;
export type RemovalReason = (typeof REMOVAL_REASONS)[number];

export interface ListTypeDefinition {
  code: string;
  nameZh: string;
  kind: ListKind;
  /** The business domain (领域) whose departments designate, as department domains name it. */
  domain: string;
  categories: SeriousCategory[];
  /** The bases of the list itself and of its designation standard, each a catalog legal basis. */
  legalBases: Array<{ basis: string; of: 'list' | 'standard'; article?: string }>;
  /** The standard's public consultation (at least 30 days, 国办发〔2020〕49号 (七)). */
  standardComment?: { from: string; to: string; where: string };
  /** The lowest level that designates: county and above, unless a basis named here allows lower. */
  designation: { minLevel: DepartmentLevel; exceptionBasis?: string };
  removal: { conditions: string; procedure: string };
  remedies: string;
  /** How long an entry stays listed; null: until removed. */
  validityMonths: number | null;
  /** Working days the party has to object after the prior notice (or the announcement). */
  objectionDays: number;
  /** Red lists: working days of public announcement before confirmation. */
  announcementDays?: number;
}

export interface CaseFacts {
  /** The facts of the dishonest (or the trustworthy) conduct. */
  reasons: string;
  /** The provisions the conduct meets. */
  basis: string;
  /** When the conduct took place. */
  actDate: string;
  /** The serious-dishonesty category it falls under (punishment lists). */
  category?: SeriousCategory;
}

export interface Leniency {
  /** The grounds present in the case (minor derived from the citizen ID, never shown). */
  flags: Partial<Record<LeniencyFlag, boolean>>;
  /** How the reviewer weighed each ground present. */
  weighed: Partial<Record<LeniencyFlag, string>>;
}

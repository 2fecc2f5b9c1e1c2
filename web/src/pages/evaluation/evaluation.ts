/**
 * What the evaluation's pages share (公共信用综合评价): the shapes of the API's answers, points as
 * the platform writes them (exact decimal texts with two places, never added up here: the platform's
 * base and contributions make its score), a level's score range, and whether a subject's level may
 * be shown to the public.
 */
import { computed } from 'vue';
import type { paths } from '../../api/schema';
import { i18n } from '../../i18n';

type Json<T> = T extends { responses: { 200: { content: { 'application/json': infer R } } } } ? R : never;

/** The model in force as the public reads it (or a version asked for). */
export type PublicModel = Json<paths['/api/public/evaluation/model']['get']>;
export type ModelIndicator = PublicModel['indicators'][number];
export type ModelLevel = PublicModel['levels'][number];
export type Treatment = PublicModel['treatment'];
/** A subject's evaluation with its explanation, for itself and government users. */
export type Explained = Json<paths['/api/evaluations/{code}']['get']>;
export type ExplainedIndicator = Explained['indicators'][number];
export type ExplainedRecord = ExplainedIndicator['records'][number];
/** A market entity's level, as the public may see it. */
export type PublicLevel = Json<paths['/api/public/evaluations/{code}']['get']>;

/** The states of a record a model counts or leaves out, in the order the pages list them. */
export const TREATED = ['repaired', 'underObjection', 'displayEnded'] as const;

/** The rule the platform names when asked to evaluate a natural person. */
export const NATURAL_PERSON_RULE = 'evaluation.natural_person';

/** A decimal text with its sign as a sum writes it: `+ 2.00`, `− 4.00`. */
export function signedTerm(decimal: string): { sign: '+' | '−'; value: string } {
  return decimal.startsWith('-') ? { sign: '−', value: decimal.slice(1) } : { sign: '+', value: decimal };
}

/** A decimal text as a figure: a minus sign that reads as one (−4.00). */
export function figure(decimal: string | number): string {
  const text = String(decimal);
  return text.startsWith('-') ? `−${text.slice(1)}` : text;
}

/** Whether a decimal text is zero (0, 0.00, -0.00). */
export function isZero(decimal: string): boolean {
  return /^-?0+(\.0+)?$/.test(decimal);
}

/** The reader's language as a reactive value (the i18n global's). */
export const english = computed(() => i18n.global.locale.value === 'en');

/**
 * A level's score range in words: from `min` (included) below `below` (excluded); the lowest level
 * has no lower end, the highest no upper one.
 */
export function levelRange(level: { min: string | null; below: string | null }): string {
  const t = i18n.global.t;
  if (level.min === null && level.below === null) {
    return t('evaluation.range.any');
  }
  if (level.min === null) {
    return t('evaluation.range.below', { below: level.below ?? '' });
  }
  if (level.below === null) {
    return t('evaluation.range.from', { min: level.min });
  }
  return t('evaluation.range.between', { min: level.min, below: level.below });
}

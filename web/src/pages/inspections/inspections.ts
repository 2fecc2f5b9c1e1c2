/**
 * What the pages of graded inspection sampling share (双随机、一公开): the shapes of the API's
 * answers, rates as percentages, and the names of the levels of the model a draw grouped its pool
 * by (asked once per model version and language).
 */
import { ref, watch, type Ref } from 'vue';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { i18n } from '../../i18n';

type Json<T> = T extends { responses: { 200: { content: { 'application/json': infer R } } } } ? R : never;
type Created<T> = T extends { responses: { 201: { content: { 'application/json': infer R } } } } ? R : never;

export type PublicSeed = Json<paths['/api/public/inspections/seeds']['get']>[number];
export type DrawSummary = Json<paths['/api/public/inspections/draws']['get']>[number];
export type PublicDraw = Json<paths['/api/public/inspections/draws/{id}']['get']>;
/** A draw as its department reads it: who drew it too. */
export type Draw = Created<paths['/api/inspections/draws']['post']>;
export type Seed = Created<paths['/api/inspections/seeds']['post']>;

/** The group of subjects the model in force has no result for. */
export const UNRATED = 'unrated';

/** A rate (0 to 1, at most four decimals) as a percentage: 0.125 → 12.5%. */
export function percent(rate: number): string {
  const hundredths = Math.round(rate * 10_000);
  return `${(hundredths / 100).toString()}%`;
}

/** A level group's name: the model's level (code and name), or the unrated. */
export function groupName(level: string | null, names: ReadonlyMap<string, string>): string {
  const t = i18n.global.t;
  if (level === null || level === UNRATED) {
    return t('inspections.unrated');
  }
  const name = names.get(level);
  return name === undefined ? level : t('evaluation.levelName', { code: level, name });
}

/** The level names of a model version, by code, in the reader's language. */
export function useLevelNames(model: Ref<{ code: string; version: number } | null | undefined>) {
  const names = ref<Map<string, string>>(new Map());
  async function load(): Promise<void> {
    const m = model.value;
    if (m === null || m === undefined) {
      names.value = new Map();
      return;
    }
    try {
      const { data } = await api.GET('/api/public/evaluation/model', {
        params: { query: { code: m.code, version: m.version } },
      });
      names.value = new Map((data?.levels ?? []).map((l) => [l.code, l.name]));
    } catch {
      names.value = new Map();
    }
  }
  watch([model, () => i18n.global.locale.value], () => void load(), { immediate: true });
  return names;
}

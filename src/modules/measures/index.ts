/** The measure list, memoranda, and (to come) credit checks in administrative matters. */
export { MeasureService } from './measures.service.ts';
export { measureRoutes } from './measures.routes.ts';
export { shippedMeasures, shippedMemoranda, demoMemorandum } from './measures.data.ts';
export { ensureShippedLists } from './measures.seed.ts';
export {
  checkMeasure,
  checkMemorandum,
  type MemorandumDefinition,
  type MemorandumEntry,
} from './measures.rules.ts';
export type { AttachedMeasure } from './measures.repository.ts';
export * from './measures.types.ts';
export {
  CheckService,
  MAX_BATCH,
  type BatchItem,
  type CheckRequest,
  type CheckResult,
} from './measures.check.ts';
export { checkRoutes } from './measures.check-routes.ts';
export { selectMeasures, type Entry, type SelectedMeasure } from './measures.select.ts';

/** The measure list, memoranda, and (to come) credit checks in administrative matters. */
export { MeasureService } from './measures.service.ts';
export { measureRoutes } from './measures.routes.ts';
export { shippedMeasures, shippedMemoranda, demoMemorandum } from './measures.data.ts';
export {
  checkMeasure,
  checkMemorandum,
  type MemorandumDefinition,
  type MemorandumEntry,
} from './measures.rules.ts';
export type { AttachedMeasure } from './measures.repository.ts';
export * from './measures.types.ts';

/**
 * Graded inspection sampling, "double random, one public" (双随机、一公开): seeds announced before
 * the draws that use them, a pure and reproducible draw by credit level, the result published.
 */
export { InspectionService } from './inspections.service.ts';
export { inspectionRoutes } from './inspections.routes.ts';
export {
  drawSample,
  poolDigest,
  rank,
  sampleSize,
  UNRATED,
  type DrawGroup,
  type DrawInput,
  type DrawnSubject,
  type DrawOutcome,
  type PoolSubject,
} from './inspections.draw.ts';
export {
  parsePlan,
  planProblems,
  PlanRuleError,
  PlanSchema,
  PlanShapeError,
  type Plan,
  type Problem,
} from './inspections.plan.ts';
export type {
  DrawRecordView,
  DrawView,
  PublicDrawSummary,
  PublicSeed,
  SeedView,
} from './inspections.types.ts';

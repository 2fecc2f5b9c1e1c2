/**
 * Public credit evaluation (公共信用综合评价) of market entities, never of natural persons: a model
 * published as versioned data, each result explained indicator by indicator down to the records it
 * rests on, and the levels graded supervision reads.
 */
export { currentLevels, modelInForce, type ModelInForce } from './evaluation.levels.ts';
export {
  EvaluationService,
  ModelRuleError,
  refuseNaturalPersonCode,
  shippedModel,
} from './evaluation.service.ts';
export type { LoadedModel, RunSummary, SubjectEvaluation } from './evaluation.service.ts';
export { EvaluationFollower } from './evaluation.follow.ts';
export { evaluationRoutes } from './evaluation.routes.ts';
export { evaluate, fullYears, type Evaluation, type EvaluatedRecord } from './evaluation.compute.ts';
export { checkModel, hundredths, levelOf, points, type Model } from './evaluation.rules.ts';
export { ModelFileSchema, EVALUATED_KINDS, type ModelFile } from './evaluation.schema.ts';
export { evaluationQuery, itemsRead } from './evaluation.sql.ts';
export { presentEvaluation, presentModel } from './evaluation.presenter.ts';

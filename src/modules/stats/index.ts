/** The dashboards' figures: records by category and region, open cases by age. */
export {
  AGE_BUCKETS,
  CASE_KINDS,
  StatsService,
  type CaseKindStats,
  type CaseStats,
  type RecordStats,
} from './stats.service.ts';
export { statsRoutes } from './stats.routes.ts';

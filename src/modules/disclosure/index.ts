/**
 * Credit files and disclosure: what each audience may see of a subject, for how long, and why —
 * the decision (`decide`) and the credit file (its service, presenter, routes and the public
 * routes). Subjects and search are subjects/', records records/', what departments and
 * institutions receive beyond the file sharing/'.
 */
export { decide, isPersonal, type DecideContext } from './disclosure.decide.ts';
export {
  CreditFileService,
  MAX_LOOKUP,
  type FileRequest,
  type InstitutionAuthorisations,
  type LookupResult,
} from './disclosure.service.ts';
export { disclosureRoutes, CreditFileSchema } from './disclosure.routes.ts';
export { publicRoutes } from './disclosure.public.ts';
export { PortalStatsService, type PortalStats } from './disclosure.stats.ts';
export type { CreditFile, FileRecord, FileField } from './disclosure.presenter.ts';
export {
  MATTERS,
  type Audience,
  type Decision,
  type Matter,
  type Mark,
  type Reason,
  type RecordFacts,
  type Treatment,
} from './disclosure.types.ts';

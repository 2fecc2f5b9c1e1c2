/** Credit files and disclosure: what each audience may see of a subject, for how long, and why. */
export { decide, isPersonal, type DecideContext } from './disclosure.decide.ts';
export { CreditFileService, MAX_LOOKUP, type FileRequest, type LookupResult } from './disclosure.service.ts';
export { disclosureRoutes, CreditFileSchema } from './disclosure.routes.ts';
export { publicRoutes } from './disclosure.public.ts';
export { sharingRoutes } from './disclosure.sharing-routes.ts';
export {
  AuthorisationService,
  QUESTIONS,
  VERIFICATIONS_PER_DAY,
  type AuthorisationRow,
  type GrantRequest,
} from './disclosure.authorisation.ts';
export { VerificationService, type VerificationAnswer } from './disclosure.verify.ts';
export { hashesOf, ownSubject, subjectByCode } from './disclosure.subjects.ts';
export type { SubjectRow } from './disclosure.repository.ts';
export { ChangeFeedService, type Change, type ChangePage } from './disclosure.feed.ts';
export {
  publiclyFindable,
  SearchService,
  shownCode,
  type NameMatcher,
  type SearchHit,
  type SearchResult,
  type SearchRow,
} from './disclosure.search.ts';
export type { CreditFile, FileRecord, FileField } from './disclosure.presenter.ts';
export {
  MATTERS,
  type Audience,
  type Decision,
  type Matter,
  type Mark,
  type Reason,
  type RecordFacts,
  type RecordStatus,
  type RepairOutcome,
  type Treatment,
} from './disclosure.types.ts';

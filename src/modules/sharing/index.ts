/**
 * Sharing: what departments and institutions receive beyond the public — a department's lookup
 * and the change feed of the subjects it watches; a subject's authorisations of institutions, and
 * the closed yes/no questions an authorised institution may ask (verification). The files they
 * read are disclosure/'s.
 */
export { sharingRoutes } from './sharing.routes.ts';
export {
  AuthorisationService,
  QUESTIONS,
  VERIFICATIONS_PER_DAY,
  type AuthorisationRow,
  type GrantRequest,
} from './sharing.authorisation.ts';
export { VerificationService, type VerificationAnswer } from './sharing.verify.ts';
export { ChangeFeedService, type Change, type ChangePage } from './sharing.feed.ts';

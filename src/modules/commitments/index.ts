/**
 * Credit commitments (信用承诺): signed by the subject in the standard text of their kind, recorded
 * as the catalog's credit_commitment records; fulfilment or breach recorded by the department, a
 * breach becoming a breached_commitment record.
 */
export { CommitmentService } from './commitments.service.ts';
export { commitmentRoutes } from './commitments.routes.ts';
export {
  COMMITMENT_KINDS,
  COMMITMENT_TEXTS,
  type CommitmentKind,
  type CommitmentOutcome,
  type CommitmentStandard,
  type CommitmentView,
  type SignRequest,
} from './commitments.types.ts';

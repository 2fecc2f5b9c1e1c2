/**
 * Records: the versions of what a department recorded about a subject, their status and its
 * transitions, and revocation — the one place that changes a record, except the set-based writes of
 * a batch's commit (ingest/); with the rules every writer follows: one writer at a time, only the
 * collecting department, personal values sealed.
 */
export { RecordService, supersedeRecord, type StatusChange } from './records.service.ts';
export { RevocationService, type Revocation, type RevocationRequest } from './records.revocation.ts';
export { notWithdrawn, shownOn } from './records.repository.ts';
export {
  beginCommit,
  commitAllowanceMs,
  lockCommits,
  STALL_MS,
  type EndedCommit,
} from './records.commit-guard.ts';
export { collectorOf, refuseDesignatedItem, type Collector } from './records.collect.ts';
export { isSealed, masked, unseal } from './records.sealed.ts';
export type { RecordStatus, RepairOutcome } from './records.types.ts';
export {
  repairEligibility,
  REPAIR_REQUIRES,
  type RepairEligibility,
  type RepairFacts,
} from './records.repair-eligibility.ts';

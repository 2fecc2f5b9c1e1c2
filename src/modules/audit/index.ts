/** The tamper-evident audit chain: every business action, every non-public read. */
export { AuditService, type AuditOptions, type ArchiveResult } from './audit.service.ts';
export { CHECKPOINT_TICK_MS, type CheckpointSchedule, type ScheduledCheckpoint } from './audit.schedule.ts';
export { auditRoutes } from './audit.routes.ts';
export {
  verifyChain,
  eventHash,
  GENESIS_HASH,
  type ChainEvent,
  type VerifyResult,
  type Checkpoint,
} from './audit.chain.ts';

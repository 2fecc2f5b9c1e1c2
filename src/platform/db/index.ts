export {
  openDatabase,
  migrateToLatest,
  MigrationError,
  type Database,
  type DatabaseKind,
  type OpenOptions,
  type Prepared,
  type PublicReads,
  unprepared,
} from './database.ts';
export type { Schema } from './schema.ts';
export type {
  CommitmentTable,
  FederationShareTable,
  ObjectionTable,
  RepairApplicationTable,
  ConductReportTable,
} from './schema.ts';
export type { BulkInsert } from './bulk.ts';
export {
  isDatabaseUnavailable,
  isUniqueViolation,
  retryWhileUnavailable,
  unavailableCause,
} from './faults.ts';
export {
  COMMAND_SOCKET,
  DataDirLockedError,
  dataDirOwner,
  LOCK_FILE,
  lockDataDir,
  type LockHolder,
} from './lock.ts';
export { lsnPosition, LagClock, type ReplicaState, type ReplicaStatus } from './replica.ts';

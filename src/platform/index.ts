/** The platform: configuration, database, errors, HTTP, logging and the working-day calendar. */
export {
  loadConfig,
  ConfigError,
  SIGN_IN_DEFAULTS,
  type Config,
  type DatabaseConfig,
  isProvinceDivision,
  type FederationConfig,
  type LogLevel,
  type Mode,
  type SecondFactorRule,
  type SignInConfig,
  type TrustProxy,
} from './config.ts';
export { createLogger, type Logger } from './logging.ts';
export * from './errors.ts';
export * from './i18n/index.ts';
export { reason, reasonIn, reasonIssue, issueReason, type Reason, type Wording } from './reasons.ts';
export * from './text.ts';
export { canonicalJson, sha256Hex } from './canonical-json.ts';
export { CACHE_MAX_AGE_MS, processCache, type ProcessCache } from './cache.ts';
export { createDataProtector, type DataProtector } from './data-protector.ts';
export {
  AttachmentStore,
  AttachmentsBody,
  ATTACHMENTS_BODY_LIMIT,
  ATTACHMENT_TYPES,
  decodeAttachments,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  type AttachmentInput,
  type AttachmentType,
  type StoredAttachment,
} from './attachments.ts';
export {
  SYSTEM_ACTOR,
  type AuditActor,
  type AuditEventInput,
  type AuditInboxRow,
  type AuditWriter,
} from './audit.ts';
export {
  openDatabase,
  migrateToLatest,
  MigrationError,
  type Database,
  type DatabaseKind,
  type Schema,
  isDatabaseUnavailable,
  isUniqueViolation,
  retryWhileUnavailable,
  unavailableCause,
  COMMAND_SOCKET,
  DataDirLockedError,
  dataDirOwner,
  type LockHolder,
} from './db/index.ts';
export {
  buildServer,
  calendarRoutes,
  healthRoutes,
  fileResponse,
  registerRateLimit,
  badTextError,
  readUpload,
  requiredField,
  requestLocale,
  setDefaultLocale,
  type Upload,
  type UploadedFile,
} from './http/index.ts';
export { generateSm2KeyPair, sm2Sign, sm2Verify, sm3Hex, SM2_USER_ID } from './signing/sm2.ts';
export { Poller } from './poller.ts';

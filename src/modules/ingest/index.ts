/**
 * Collection (归集): catalog-gated ingest of department data — files and rows by API, validated,
 * staged, and committed as records a batch at a time; the review queue; quality. What a record is,
 * revocation and every other change of a record are records/'.
 */
export {
  IngestService,
  BatchFailedError,
  summarize,
  type BatchSummary,
  type IngestRequest,
} from './ingest.service.ts';
export { problemsCsv, problemsXlsx, type ProblemSheet } from './ingest.export.ts';
export { ingestRoutes } from './ingest.routes.ts';
export { QualityService, type QualityQuery, type QualityRow } from './ingest.quality.ts';
export { ReviewService, type ReviewRow, type Resolution, type ResolutionResult } from './ingest.review.ts';
export { validateRow, type RowOutcome } from './ingest.validate.ts';
export type { Reason, StoredReason } from './ingest.reasons.ts';
export type { PurgeResult } from './ingest.retention.ts';
export { mapColumns, headingKey } from './ingest.mapping.ts';
export {
  detectEncoding,
  formatOf,
  openSource,
  MAX_COLUMNS,
  MAX_FILE_BYTES,
  type SourceFormat,
} from './ingest.parsers.ts';

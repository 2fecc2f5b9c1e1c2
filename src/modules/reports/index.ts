/**
 * Credit reports: public, matter, own and special (信用代证) reports, built by the disclosure
 * decision, signed with the platform's key (keys/), stored as issued, verifiable by anyone.
 */
export {
  ReportService,
  REPORT_FORMATS,
  verdictMessage,
  type IssuedReport,
  type ReportFormat,
  type Verification,
} from './reports.service.ts';
export { verifyReportFile, type FileCheck } from './reports.verify.ts';
export { reportRoutes } from './reports.routes.ts';
export { verifyReportJson, fingerprintOf, type ReportCheck } from './reports.signing.ts';
export {
  REPORT_FORMAT,
  REPORT_TYPES,
  SPECIAL_MAX_YEARS,
  type ReportContent,
  type ReportRequest,
  type ReportType,
  type ReportVerdict,
  type SignedReport,
} from './reports.types.ts';

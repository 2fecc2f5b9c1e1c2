/**
 * Reports of suspected dishonest conduct from the public (举报): no account, routed by domain,
 * acknowledged and answered within working days, followed by a receipt code; who reported is sealed.
 */
export {
  ConductReportService,
  type ReceiptView,
  type ConductReportRequest,
  type ConductReportView,
} from './conduct-reports.service.ts';
export { conductReportRoutes } from './conduct-reports.routes.ts';

/**
 * Reports of suspected dishonest conduct from the public (举报): no account, routed by domain,
 * acknowledged and answered within working days, followed by a receipt code; who reported is sealed.
 */
export { ReportService, type ReceiptView, type ReportRequest, type ReportView } from './reports.service.ts';
export { reportRoutes } from './reports.routes.ts';

/**
 * Federation of provincial platforms and the national one (全国信用信息共享平台 linked with local
 * platforms) on PostgreSQL's logical replication: provinces publish what they may share, the nation
 * subscribes and holds it as its own records, each keeping its origin.
 */
export {
  FederationRefusedError,
  FederationService,
  PUBLICATION,
  PUBLISHED_COLUMNS,
  PUBLISHED_ROWS,
  subscriptionName,
  type FederationStatus,
  type OriginStatus,
} from './federation.service.ts';
export { FederationApplier, federatedDepartment, type Applied } from './federation.apply.ts';
export { federationRoutes } from './federation.routes.ts';

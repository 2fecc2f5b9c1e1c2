export { buildServer, type ServerOptions } from './server.ts';
export { healthRoutes, type HealthDeps } from './health.routes.ts';

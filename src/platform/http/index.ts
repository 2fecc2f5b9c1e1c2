export { buildServer, type ServerOptions } from './server.ts';
export { healthRoutes, type HealthDeps } from './health.routes.ts';
export { badTextError } from './text-guard.ts';
export { readUpload, requiredField, type Upload, type UploadedFile } from './upload.ts';

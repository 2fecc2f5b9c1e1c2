export { buildServer, type ServerOptions } from './server.ts';
export { healthRoutes, type HealthDeps } from './health.routes.ts';
export { calendarRoutes } from './calendar.routes.ts';
export { fileResponse } from './openapi.ts';
export { registerRateLimit } from './rate-limit.ts';
export { badTextError } from './text-guard.ts';
export { requestLocale, setDefaultLocale } from './locale.ts';
export { readUpload, requiredField, type Upload, type UploadedFile } from './upload.ts';

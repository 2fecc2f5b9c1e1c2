/**
 * The HTTP server: Fastify with zod schemas, errors in the catalogue's shape, OpenAPI at
 * /api/docs. Modules contribute their routes as plugins; the server knows none of them.
 */
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
} from 'fastify';
import { serializerCompiler, validatorCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { OpenAPIV3 } from 'openapi-types';
import type { Logger } from '../logging.ts';
import { errorHandler, renderError } from './error-handler.ts';
import { registerSecurity } from './security.ts';
import { registerTextGuard } from './text-guard.ts';
import { clientErrorHandler } from './client-error.ts';
import { t } from '../i18n/index.ts';
import { requestLocale } from './locale.ts';
import { openApiOptions } from './openapi.ts';
import { isWebPage, registerWeb, sendWebPage } from './web.ts';

export interface ServerOptions {
  logger: Logger;
  version: string;
  routes: readonly FastifyPluginAsyncZod[];
  /** Run on the root instance before the routes: hooks that every route shares. */
  setup?: ReadonlyArray<(app: FastifyInstance) => void>;
  /** How callers authenticate, for the OpenAPI document: operations name them in `schema.security`. */
  securitySchemes?: Record<string, OpenAPIV3.SecuritySchemeObject>;
  /** Origins allowed to read the API from a browser (CORS); none by default. */
  corsOrigins?: readonly string[];
  /**
   * The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (`true`: any, a
   * hop count, or addresses and CIDRs), so that `request.ip` and `request.protocol` are the
   * client's; none by default.
   */
  trustProxy?: boolean | number | readonly string[];
  /** The built web application (`web/dist`), served at `/`; none: the API alone. */
  webRoot?: string;
}

/**
 * Fastify's own form of the option. A hop count is given as a function: Fastify 5 takes a bare
 * number to mean no trust at all. Counted hops are believed from the socket inwards, so a client
 * that writes its own X-Forwarded-For gets no further than the address the last proxy saw.
 */
function trustProxyOption(
  trust: boolean | number | readonly string[],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') {
    return (_address, hop) => hop < trust;
  }
  return typeof trust === 'boolean' ? trust : [...trust];
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  // Typed with Fastify's own logger interface; the instance is the platform's pino logger.
  const app = Fastify<Server, IncomingMessage, ServerResponse, FastifyBaseLogger>({
    loggerInstance: options.logger,
    // One line per request only when debugging; the audit chain, not the log, records reads.
    logController: new LogController({
      disableRequestLogging: !['debug', 'trace'].includes(options.logger.level),
    }),
    bodyLimit: 2 * 1024 * 1024,
    trustProxy: trustProxyOption(options.trustProxy ?? false),
    // What Node's HTTP parser refuses before Fastify sees a request (an over-long URL or header
    // block, a malformed request line) is answered in the catalogue's shape too.
    clientErrorHandler,
    // Refusals made while routing (a malformed percent-encoding, a path segment over the limit)
    // bypass the error handler; they are rendered the same way.
    frameworkErrors: (err, request, reply) => {
      const { status, body } = renderError(err, request);
      void (reply as FastifyReply).status(status).send(body);
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // First of all hooks: nothing after it may hand unstorable text to SQL.
  registerTextGuard(app);
  await registerSecurity(app, { corsOrigins: options.corsOrigins ?? [] });
  if (options.webRoot !== undefined) {
    await registerWeb(app, options.webRoot);
  }
  const webRoot = options.webRoot;
  app.setNotFoundHandler((request, reply) =>
    webRoot !== undefined && isWebPage(request)
      ? sendWebPage(reply)
      : reply
          .status(404)
          .send({ error: 'not_found', message: t(requestLocale(request), 'errors.not_found') }),
  );

  await app.register(
    fastifySwagger,
    openApiOptions({ version: options.version, securitySchemes: options.securitySchemes ?? {} }),
  );
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { validatorUrl: null },
    // Its own policy: its scripts from itself, the inline styles it sets (as the platform's own
    // policy allows), nothing fetched from elsewhere, and nothing upgraded to https on a plain HTTP
    // address (that would break the page on a LAN or loopback address).
    staticCSP: true,
    transformStaticCSP: (header) =>
      header
        .replace(/\s*upgrade-insecure-requests;?/, '')
        .replace(' validator.swagger.io', '')
        .replace(/font-src [^;]*;/, "font-src 'self' data:;")
        .replace(/style-src [^;]*;/, "style-src 'self' 'unsafe-inline';")
        .replace("frame-ancestors 'self'", "frame-ancestors 'none'"),
  });
  for (const setup of options.setup ?? []) {
    setup(app);
  }
  for (const routes of options.routes) {
    await app.register(routes);
  }
  return app;
}

/**
 * Response headers that keep a browser from being turned against the platform's users: no content
 * sniffing, no referrer leaving the platform, a content security policy the web application can
 * live with, nothing that is not public kept in a cache, and no cross-origin reads unless an
 * allow-list names the origins. Strict-Transport-Security only on answers that went out over HTTPS
 * (directly, or behind a trusted proxy that says so): sent over plain HTTP it would be ignored, and
 * a platform reached by a LAN address must stay reachable that way.
 */
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's answers are the same for everyone (the public portal): caches may keep them a minute. */
    publicCache?: boolean;
  }
}

/** The policy of every page and answer; Swagger UI at /api/docs sets its own, with its scripts' hashes. */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'frame-ancestors': ["'none'"],
} as const;

/** A year, subdomains included: what a browser is told once it has reached the platform over HTTPS. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';

export interface SecurityOptions {
  /** Origins allowed to read the API from a browser (CORS); empty: none. */
  corsOrigins: readonly string[];
}

export async function registerSecurity(app: FastifyInstance, options: SecurityOptions): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: Object.fromEntries(
        Object.entries(CONTENT_SECURITY_POLICY).map(([name, values]) => [name, [...values]]),
      ),
    },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    strictTransportSecurity: false,
  });
  if (options.corsOrigins.length > 0) {
    await app.register(fastifyCors, {
      origin: [...options.corsOrigins],
      credentials: true,
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
    });
  }
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!reply.hasHeader('cache-control')) {
      const shared =
        request.routeOptions.config.publicCache === true &&
        reply.statusCode === 200 &&
        request.method === 'GET';
      // Anything that depends on who asks, or any error, stays out of every cache.
      void reply.header('cache-control', shared ? 'public, max-age=60' : 'no-store');
    }
    // The protocol is the socket's, or X-Forwarded-Proto from a trusted proxy (trustProxy).
    if (request.protocol === 'https') {
      void reply.header('strict-transport-security', STRICT_TRANSPORT_SECURITY);
    }
    done(null, payload);
  });
}

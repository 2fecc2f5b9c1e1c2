/**
 * The web application, built into `web/dist` by `npm install`, served by the same server at `/`
 * with the API under `/api`. Files are served as they are; any other GET outside `/api` is the
 * application's page (its router shows the page, or its not-found page), never the API's JSON 404.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export async function registerWeb(app: FastifyInstance, root: string): Promise<void> {
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: true,
    index: ['index.html'],
    // Hashed file names: an asset never changes under its name.
    setHeaders: (res, file) => {
      if (file.includes(`${'/'}assets${'/'}`)) {
        res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      }
    },
  });
}

/** Whether a request that found no route is a page of the web application. */
export function isWebPage(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '';
  return (
    (request.method === 'GET' || request.method === 'HEAD') && path !== '/api' && !path.startsWith('/api/')
  );
}

export function sendWebPage(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');
}

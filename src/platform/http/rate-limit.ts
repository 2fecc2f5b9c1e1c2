/**
 * Rate limits per client (by address, as trustProxy lets the server see it), answered in the
 * catalogue's shape with the rule named: registered once per plugin, either for every route of it
 * (`max` given) or only for the routes whose config names a `rateLimit` (`global: false`).
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { RateLimitedError } from '../errors.ts';
import type { MessageKey } from '../i18n/index.ts';

export async function registerRateLimit(
  app: FastifyInstance,
  options: { rule: string; message?: MessageKey; max?: number; timeWindow?: number },
): Promise<void> {
  await app.register(rateLimit, {
    ...(options.max === undefined
      ? { global: false }
      : { max: options.max, timeWindow: options.timeWindow ?? 60_000 }),
    errorResponseBuilder: (_request, context) =>
      new RateLimitedError(
        {
          key: options.message ?? 'errors.rate_limit.public',
          params: { max: context.max, seconds: Math.ceil(context.ttl / 1000) },
        },
        { rule: options.rule },
      ),
  });
}

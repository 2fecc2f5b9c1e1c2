import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requestLocale } from '../../platform/index.ts';
import { presentValidation } from './identifiers.presenter.ts';
import { ValidateRequestSchema, ValidateResponseSchema } from './identifiers.schema.ts';
import { validate } from './validate.ts';

export const identifierRoutes: FastifyPluginAsyncZod = (app) => {
  app.post(
    '/api/identifiers/validate',
    {
      schema: {
        tags: ['identifiers'],
        summary: 'Validate codes: unified social credit code, legacy codes, citizen ID',
        description:
          'Send `{ "value": "..." }` for one value or `{ "values": [...] }` for up to 1,000. Each value is ' +
          'normalised, classified and checked; every check is explained. A bad value is a result with a ' +
          'failed check, never an error.',
        body: ValidateRequestSchema,
        response: { 200: ValidateResponseSchema },
      },
      // The presenter fixes the output fields; re-checking 1,000 nested results against the zod
      // schema on the way out would cost more than validating them. The schema documents it.
      serializerCompiler: () => (data) => JSON.stringify(data),
      // Nothing here reaches the database; a NUL or a lone surrogate is a failed check of its value.
      config: { bodyTextReported: true },
    },
    (request) => {
      const { value, values = [] } = request.body;
      const locale = requestLocale(request);
      if (value !== undefined) {
        return presentValidation(validate(value), locale);
      }
      return { results: values.map((v) => presentValidation(validate(v), locale)) };
    },
  );
  return Promise.resolve();
};

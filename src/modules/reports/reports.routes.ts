import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fileResponse, NotFoundError, registerRateLimit, requestLocale } from '../../platform/index.ts';
import { MATTERS } from '../disclosure/index.ts';
import { ALGORITHMS } from '../keys/index.ts';
import {
  REPORT_FORMATS,
  type ReportFormat,
  type ReportService,
  type Verification,
} from './reports.service.ts';
import { verifyPage } from './reports.verify-page.ts';
import { REPORT_FORMAT, REPORT_TYPES, SPECIAL_MAX_YEARS } from './reports.types.ts';

const SignedReportSchema = z
  .object({
    format: z.literal(REPORT_FORMAT),
    report: z
      .record(z.string(), z.unknown())
      .describe('the content: what its audience may see, as of its time'),
    signature: z.object({
      algorithm: z.enum(ALGORITHMS),
      keyId: z.string(),
      value: z.string().describe('base64: the signature of the canonical JSON of `report`'),
    }),
  })
  .describe('the report as issued: its canonical JSON is what the signature covers');

const IssuedSchema = z.object({
  number: z.string(),
  code: z
    .string()
    .describe('the verification code printed on the report: with the number, it confirms the report online'),
  type: z.enum(REPORT_TYPES),
  fingerprint: z.string().describe('SHA-256 of the canonical JSON of the content'),
  report: SignedReportSchema,
});

const VerificationSchema = z.object({
  number: z.string(),
  type: z.enum(REPORT_TYPES),
  issuedAt: z.string(),
  fingerprint: z.string(),
  keyId: z.string(),
  algorithm: z.string(),
  verdict: z.enum(['valid', 'tampered', 'key_revoked', 'unknown_key', 'outside_validity', 'not_a_report']),
  message: z.string(),
});

const date = z.string().max(10).describe('YYYY-MM-DD');
const code = z.string().min(1).max(64).describe('a unified social credit code, citizen ID or other code');

const MEDIA_TYPES: Record<ReportFormat, string> = {
  json: 'application/json',
  html: 'text/html',
  pdf: 'application/pdf',
};

function send(reply: FastifyReply, number: string, format: ReportFormat, body: Buffer): FastifyReply {
  return reply
    .header('content-type', format === 'pdf' ? MEDIA_TYPES.pdf : `${MEDIA_TYPES[format]}; charset=utf-8`)
    .header(
      'content-disposition',
      `${format === 'html' ? 'inline' : 'attachment'}; filename="${number}.${format}"`,
    )
    .send(body);
}

/** `perMinute`: public reports one client may ask for a minute (0: no limit). */
export function reportRoutes(reports: ReportService, perMinute: number): FastifyPluginAsyncZod {
  return async (app) => {
    await registerRateLimit(app, { rule: 'public.rate_limit' });
    const issued = (r: Awaited<ReturnType<ReportService['issue']>>) => ({
      number: r.number,
      code: r.code,
      type: r.type,
      fingerprint: r.fingerprint,
      report: r.signed as unknown as z.infer<typeof SignedReportSchema>,
    });
    app.post(
      '/api/public/reports',
      {
        config: perMinute > 0 ? { rateLimit: { max: perMinute, timeWindow: 60_000 } } : {},
        schema: {
          tags: ['public'],
          summary:
            "Issue the public credit report of a subject (what the public may see), signed by the platform's key",
          body: z.object({ code }),
          response: { 201: IssuedSchema },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(issued(await reports.issue(request.actor, { type: 'public', code: request.body.code }))),
    );
    app.get(
      '/api/public/reports/verify',
      {
        config: { rateLimit: { max: 60, timeWindow: 60_000 } },
        schema: {
          tags: ['public'],
          summary:
            'Confirm a report by its number and verification code: its type, time, fingerprint and whether its signature still verifies; never its content',
          querystring: z.strictObject({ number: z.string().min(1).max(64), code: z.string().min(1).max(64) }),
          response: { 200: VerificationSchema },
        },
      },
      async (request) => reports.verify(request.query.number, request.query.code, requestLocale(request)),
    );
    app.post(
      '/api/reports',
      {
        config: { requires: { action: 'report.request' } },
        schema: {
          tags: ['reports'],
          summary:
            'Issue a credit report: public; matter (a department, with purpose and matter); self (the subject, free, everything about itself); special (the subject, per domain, a window of at most five years)',
          body: z.strictObject({
            type: z.enum(REPORT_TYPES),
            code,
            purpose: z.string().max(500).optional().describe('matter reports: why the department reads'),
            matter: z.enum(MATTERS).optional().describe('matter reports: the administrative matter'),
            domains: z.array(z.string().max(64)).max(50).optional().describe('special reports: the domains'),
            years: z
              .number()
              .int()
              .min(1)
              .max(SPECIAL_MAX_YEARS)
              .optional()
              .describe('special reports: years back from `to`'),
            from: date.optional(),
            to: date.optional().describe('special reports: the window’s last day (default today)'),
          }),
          response: { 201: IssuedSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(issued(await reports.issue(request.actor, request.body))),
    );
    app.get(
      '/api/reports/:number',
      {
        config: { requires: { action: 'report.read' } },
        schema: {
          tags: ['reports'],
          summary:
            'A report as issued, for who asked for it, the subject it is about (public, own and special reports) and the auditor: its signed JSON, printable HTML, or a PDF signed over its bytes',
          params: z.object({ number: z.string().min(1).max(64) }),
          querystring: z.strictObject({ format: z.enum(REPORT_FORMATS).default('json') }),
          response: { 200: fileResponse('The report', Object.values(MEDIA_TYPES)) },
        },
      },
      async (request, reply) => {
        const { row, text } = await reports.get(request.actor, request.params.number);
        return send(
          reply,
          row.number,
          request.query.format,
          await reports.render(text, request.query.format),
        );
      },
    );
    app.get(
      '/api/public/reports/:number',
      {
        config: perMinute > 0 ? { rateLimit: { max: perMinute, timeWindow: 60_000 } } : {},
        schema: {
          tags: ['public'],
          summary: 'A public report, for whoever holds its number and verification code: JSON, HTML or PDF',
          params: z.object({ number: z.string().min(1).max(64) }),
          querystring: z.strictObject({
            code: z.string().min(1).max(64),
            format: z.enum(REPORT_FORMATS).default('pdf'),
          }),
          response: { 200: fileResponse('The report', Object.values(MEDIA_TYPES)) },
        },
      },
      async (request, reply) => {
        const { number, text } = await reports.publicReport(request.params.number, request.query.code);
        return send(reply, number, request.query.format, await reports.render(text, request.query.format));
      },
    );
    app.get(
      '/verify',
      {
        config: perMinute > 0 ? { rateLimit: { max: perMinute, timeWindow: 60_000 } } : {},
        schema: {
          hide: true,
          querystring: z.object({
            number: z.string().max(64).optional(),
            code: z.string().max(64).optional(),
          }),
        },
      },
      async (request, reply) => {
        const { number, code } = request.query;
        const locale = requestLocale(request);
        let result: Verification | undefined;
        let status = 200;
        if (number !== undefined && code !== undefined && number !== '' && code !== '') {
          try {
            result = await reports.verify(number, code, locale);
          } catch (err) {
            if (!(err instanceof NotFoundError)) {
              throw err;
            }
            status = 404;
          }
        }
        return reply
          .code(status)
          .header('content-type', 'text/html; charset=utf-8')
          .send(verifyPage(locale, { number: number ?? '', code: code ?? '' }, result, status === 404));
      },
    );
  };
}

import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fileResponse, msg, readUpload, requestLocale, ValidationError } from '../../platform/index.ts';
import { authorize, type Actor, actorDepartment } from '../auth/index.ts';
import type { RevocationService } from '../records/index.ts';
import { problemsCsv, problemsXlsx } from './ingest.export.ts';
import { MAX_FILE_BYTES } from './ingest.parsers.ts';
import type { QualityService } from './ingest.quality.ts';
import type { ReviewService } from './ingest.review.ts';
import type { IngestService } from './ingest.service.ts';

const Summary = z.object({
  batchId: z.number(),
  status: z.enum(['staging', 'validated', 'committed', 'failed', 'interrupted']),
  item: z.string(),
  department: z.string(),
  total: z.number(),
  accepted: z.number(),
  rejected: z.number(),
  duplicates: z.number(),
  review: z.number(),
  warnings: z.number(),
  droppedColumns: z.array(z.string()),
  message: z.string().nullable(),
  rowsRead: z.number(),
  readFraction: z.number().nullable(),
  fileName: z.string().describe('the file as sent; `api` for records sent as JSON'),
  createdAt: z.string().describe('when the platform received the batch (ISO 8601)'),
  corrects: z.number().nullable().describe('the earlier batch whose rows this one corrects'),
  correctedBy: z.array(z.number()).describe('the later batches that correct this one, oldest first'),
});

/** The parts of an upload, for the document: the handler reads and checks them itself (`readUpload`). */
const UploadFields = z.object({
  file: z.file().describe(`CSV, XLSX or JSON, at most ${MAX_FILE_BYTES / 1024 ** 2} MiB`),
  item: z.string().describe('the catalog item the rows are records of, e.g. admin_penalty'),
  department: z.string().optional().describe("the department the data comes from; default the caller's own"),
  encoding: z.string().optional().describe('of a CSV file: utf-8, gbk, gb2312 or gb18030; default detected'),
  sheet: z.string().optional().describe('of an XLSX file: the sheet to read; default the first'),
  corrects: z
    .string()
    .regex(/^[1-9]\d{0,9}$/)
    .optional()
    .describe('the id of the batch whose rows this file corrects'),
  domain: z
    .string()
    .optional()
    .describe(
      "the department's domain the records were determined in, when it serves several; default its first",
    ),
});

/** The department a request acts for: the one named, else the actor's own. */
function departmentOf(actor: Actor, named: string | undefined): string {
  const own = actorDepartment(actor);
  const department = named ?? own;
  if (department === undefined) {
    throw new ValidationError(msg('ingest.request.department'), {
      field: 'department',
      rule: 'required',
    });
  }
  return department;
}

export function ingestRoutes({
  ingest,
  review,
  revocation,
  quality,
}: {
  ingest: IngestService;
  review: ReviewService;
  revocation: RevocationService;
  quality: QualityService;
}): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(multipart, {
      limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 10, fieldSize: 1024 },
    });

    app.post(
      '/api/ingest/batches',
      {
        config: { requires: { action: 'record.submit' }, upload: UploadFields },
        schema: {
          tags: ['ingest'],
          summary:
            'Upload a department file (multipart: file, item, department?, encoding?, sheet?, corrects?, domain?) as one batch',
          response: { 201: Summary },
        },
      },
      async (request, reply) => {
        // Refuse before reading a byte of the upload: only a department's data clerk may send one.
        const own =
          request.actor.kind === 'user' || request.actor.kind === 'token'
            ? request.actor.department?.code
            : undefined;
        authorize(request.actor, 'record.submit', { department: own });
        const upload = await readUpload(request);
        try {
          const { fields, file } = upload;
          if (file === undefined) {
            throw new ValidationError(msg('ingest.request.file'), { field: 'file', rule: 'required' });
          }
          if (file.truncated) {
            throw new ValidationError(msg('ingest.request.file_size', { max: MAX_FILE_BYTES / 1024 ** 2 }), {
              field: 'file',
              value: file.name,
              rule: 'ingest.file_size',
            });
          }
          const item = fields.item ?? '';
          if (item === '') {
            throw new ValidationError(msg('ingest.request.item'), { field: 'item', rule: 'required' });
          }
          const corrects =
            fields.corrects === undefined || fields.corrects === '' ? undefined : Number(fields.corrects);
          if (
            corrects !== undefined &&
            !(/^[1-9]\d{0,9}$/.test(fields.corrects ?? '') && corrects <= 2 ** 31 - 1)
          ) {
            throw new ValidationError(msg('ingest.request.corrects'), {
              field: 'corrects',
              value: fields.corrects,
              rule: 'integer',
            });
          }
          const summary = await ingest.ingestFile(request.actor, {
            department: departmentOf(request.actor, fields.department),
            item,
            file: file.path,
            fileName: file.name,
            encoding: fields.encoding === '' ? undefined : fields.encoding,
            sheet: fields.sheet === '' ? undefined : fields.sheet,
            corrects,
            domain: fields.domain === '' ? undefined : fields.domain,
          });
          return await reply.status(201).send(summary);
        } finally {
          await upload.cleanup();
        }
      },
    );

    app.post(
      '/api/ingest/records',
      {
        config: { requires: { action: 'record.submit' } },
        schema: {
          tags: ['ingest'],
          summary:
            "Send records as JSON objects keyed by the catalog's column names (a department system's API)",
          body: z.strictObject({
            item: z.string().min(1),
            department: z.string().optional(),
            domain: z
              .string()
              .max(64)
              .optional()
              .describe("the department's domain the records were determined in; default its first"),
            records: z.array(z.record(z.string(), z.unknown())).min(1).max(10_000),
          }),
          response: { 201: Summary },
        },
      },
      async (request, reply) => {
        const { item, department, domain, records } = request.body;
        const summary = await ingest.ingestRecords(request.actor, {
          department: departmentOf(request.actor, department),
          item,
          domain,
          records,
        });
        return reply.status(201).send(summary);
      },
    );

    app.put(
      '/api/ingest/mappings',
      {
        config: { requires: { action: 'record.submit' } },
        schema: {
          tags: ['ingest'],
          summary: "Save a department's own column heading for a catalog field; its next files map by it",
          body: z.strictObject({
            item: z.string().min(1),
            department: z.string().optional(),
            heading: z.string().min(1).max(200),
            field: z.string().min(1),
          }),
          response: { 200: z.object({ heading: z.string(), field: z.string() }) },
        },
      },
      (request) => {
        const { item, department, heading, field } = request.body;
        return ingest.saveMapping(request.actor, {
          department: departmentOf(request.actor, department),
          item,
          heading,
          field,
        });
      },
    );
    app.get(
      '/api/ingest/mappings',
      {
        config: { requires: { action: 'record.read', hide: true } },
        schema: {
          tags: ['ingest'],
          summary: "A department's saved column headings for an item",
          querystring: z.strictObject({ item: z.string().min(1), department: z.string().optional() }),
          response: { 200: z.array(z.object({ heading: z.string(), field: z.string() })) },
        },
      },
      (request) =>
        ingest.mappings(
          request.actor,
          departmentOf(request.actor, request.query.department),
          request.query.item,
        ),
    );

    app.get(
      '/api/ingest/batches',
      {
        config: { requires: { action: 'record.read', hide: true } },
        schema: {
          tags: ['ingest'],
          summary: "A department's batches, newest first",
          querystring: z.strictObject({ department: z.string().max(40).optional() }),
          response: { 200: z.array(Summary) },
        },
      },
      (request) =>
        ingest.batches(
          request.actor,
          departmentOf(request.actor, request.query.department),
          requestLocale(request),
        ),
    );
    app.get(
      '/api/ingest/batches/:id',
      {
        config: { requires: { action: 'record.read', hide: true } },
        schema: {
          tags: ['ingest'],
          summary: "A batch's status and counts",
          params: z.object({ id: z.coerce.number().int().positive() }),
          response: { 200: Summary },
        },
      },
      (request) => ingest.batch(request.actor, request.params.id, requestLocale(request)),
    );
    app.get(
      '/api/ingest/batches/:id/errors',
      {
        config: { requires: { action: 'record.read', hide: true } },
        schema: {
          tags: ['ingest'],
          summary: 'The rows to correct: original columns plus the row number and the reasons (CSV or XLSX)',
          params: z.object({ id: z.coerce.number().int().positive() }),
          querystring: z.strictObject({ format: z.enum(['csv', 'xlsx']).default('csv') }),
          response: {
            200: fileResponse('The rows to correct, as CSV (UTF-8) or XLSX', [
              'text/csv',
              'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            ]),
          },
        },
      },
      async (request, reply) => {
        const sheet = await ingest.problems(request.actor, request.params.id, requestLocale(request));
        const { format } = request.query;
        const body = format === 'csv' ? problemsCsv(sheet) : await problemsXlsx(sheet);
        return reply
          .header(
            'content-type',
            format === 'csv'
              ? 'text/csv; charset=utf-8'
              : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          )
          .header('content-disposition', `attachment; filename="batch-${request.params.id}-errors.${format}"`)
          .send(body);
      },
    );

    app.get(
      '/api/ingest/review',
      {
        config: { requires: { action: 'record.review', hide: true } },
        schema: {
          tags: ['ingest'],
          summary:
            "The department's rows awaiting review: no code identifies their subject, or their codes name two",
          querystring: z.strictObject({ department: z.string().max(40).optional() }),
          response: {
            200: z.array(
              z.object({
                batchId: z.number(),
                rowNo: z.number(),
                item: z.string(),
                department: z.string(),
                subjectName: z.string(),
                subjectKind: z.string().nullable(),
                values: z.record(z.string(), z.string()),
                reasons: z.array(z.object({ column: z.string(), rule: z.string(), message: z.string() })),
              }),
            ),
          },
        },
      },
      (request) =>
        review.queue(
          request.actor,
          departmentOf(request.actor, request.query.department),
          requestLocale(request),
        ),
    );
    app.post(
      '/api/ingest/batches/:id/rows/:row/resolution',
      {
        config: { requires: { action: 'record.review', hide: true } },
        schema: {
          tags: ['ingest'],
          summary:
            "Resolve a review row: the subject's code, or an existing subject's id, makes it a record; reject refuses it",
          params: z.object({
            id: z.coerce.number().int().positive(),
            row: z.coerce.number().int().positive(),
          }),
          body: z.union([
            z.strictObject({ code: z.string().min(1).max(64), note: z.string().max(500).optional() }),
            z.strictObject({ subjectId: z.number().int().positive(), note: z.string().max(500).optional() }),
            z.strictObject({ reject: z.string().trim().min(1).max(500) }),
          ]),
          response: {
            200: z.object({
              batchId: z.number(),
              rowNo: z.number(),
              status: z.enum(['accepted', 'duplicate', 'rejected', 'review']),
              subjectId: z.number().nullable(),
              recordId: z.number().nullable(),
            }),
          },
        },
      },
      (request) => review.resolve(request.actor, request.params.id, request.params.row, request.body),
    );
    app.post(
      '/api/ingest/revocations',
      {
        config: { requires: { action: 'record.submit' } },
        schema: {
          tags: ['ingest'],
          summary:
            'Withdraw a record the department sent (its decision was revoked): a revoked version replaces it, and disclosure stops',
          body: z.strictObject({
            item: z.string().min(1),
            department: z.string().optional(),
            documentNumber: z.string().trim().min(1).max(200),
            subjectCode: z.string().trim().min(1).max(64),
            reason: z.string().trim().min(1).max(500),
          }),
          response: {
            201: z.object({
              recordId: z.number(),
              previousId: z.number(),
              version: z.number(),
              status: z.literal('revoked'),
            }),
          },
        },
      },
      async (request, reply) => {
        const { department, ...rest } = request.body;
        const result = await revocation.revoke(request.actor, {
          ...rest,
          department: departmentOf(request.actor, department),
        });
        return reply.status(201).send(result);
      },
    );

    app.get(
      '/api/quality',
      {
        config: { requires: { action: 'quality.read' } },
        schema: {
          tags: ['ingest'],
          summary:
            'Data quality per department and month: timeliness (7 working days), completeness, error rate, duplicates',
          querystring: z.strictObject({
            department: z.string().max(40).optional(),
            from: z.string().max(7).optional().describe('first month, YYYY-MM'),
            to: z.string().max(7).optional().describe('last month, YYYY-MM'),
          }),
          response: {
            200: z.array(
              z.object({
                department: z.string(),
                month: z.string(),
                batches: z.number(),
                rows: z.number(),
                accepted: z.number(),
                rejected: z.number(),
                duplicates: z.number(),
                review: z.number(),
                errorRate: z.number().nullable(),
                timed: z.number(),
                late: z.number(),
                timelinessRate: z.number().nullable(),
                completeness: z.number().nullable(),
              }),
            ),
          },
        },
      },
      (request) => quality.report(request.actor, request.query),
    );
  };
}

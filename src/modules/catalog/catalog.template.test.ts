/**
 * File templates: the headings of an item in the catalog's order, required ones marked; a template
 * downloaded and filled in ingests as it is (CSV and XLSX); an unknown item answers 404.
 */
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { multipart } from '../../../test/support/multipart.ts';
import { penaltyRecord } from '../../../test/support/records.ts';
import { sessionCookie } from '../../../test/support/session.ts';
import type { CatalogItem, Field } from './catalog.schema.ts';
import { fieldFormat, templateCsvText, templateDisposition, templateHeading } from './catalog.template.ts';

const field = (over: Partial<Field>): Field => ({
  key: 'f',
  nameZh: '字段',
  nameEn: 'Field',
  aliases: [],
  type: 'text',
  required: false,
  personal: false,
  disclosure: 'as_item',
  ...over,
});

describe('template headings', () => {
  const item = {
    code: 'admin_penalty',
    nameZh: '行政处罚信息',
    fields: [
      field({ key: 'subject_name', nameZh: '行政相对人名称', required: true }),
      field({ key: 'fine', nameZh: '罚款金额（万元）', type: 'decimal' }),
      field({ key: 'note', nameZh: '备注, 其他' }),
    ],
  } as CatalogItem;

  it('are the Chinese names in catalog order, required ones marked with *', () => {
    expect(templateCsvText(item)).toBe('行政相对人名称*,罚款金额（万元）,"备注, 其他"\n');
    expect(templateHeading(field({ nameZh: '处罚决定日期', required: true }))).toBe('处罚决定日期*');
  });

  it('say how each kind of value is written', () => {
    expect(fieldFormat(field({ type: 'date' }))).toMatch(/^日期 YYYY-MM-DD/);
    expect(fieldFormat(field({ type: 'enum', values: ['轻微', '一般', '严重'] }))).toBe(
      '取值之一：轻微、一般、严重',
    );
    expect(fieldFormat(field({ type: 'code', identifierKind: 'uscc' }))).toContain('统一社会信用代码');
  });

  it('name the file in ASCII and, per RFC 5987, in Chinese', () => {
    expect(templateDisposition(item, 'csv')).toBe(
      `attachment; filename="admin_penalty-template.csv"; filename*=UTF-8''${encodeURIComponent('行政处罚信息填报模板.csv')}`,
    );
  });
});

describe('GET /api/catalog/items/{code}/template.csv|xlsx', () => {
  let t: TestApp;
  let clerk: string;

  beforeAll(async () => {
    t = await createTestApp();
    clerk = await sessionCookie(t.app, 'clerk.scjg');
  });

  afterAll(async () => {
    await t.close();
  });

  const upload = (name: string, content: Buffer) => {
    const { payload, headers } = multipart({ item: 'admin_penalty' }, { name, content });
    return t.app.inject({
      method: 'POST',
      url: '/api/ingest/batches',
      payload,
      headers: { ...headers, cookie: clerk },
    });
  };

  /** The value penaltyRecord gives the field a heading names (the mark taken off). */
  const valueFor = (record: Record<string, unknown>, heading: string) => {
    const value = record[heading.replace(/\*$/, '')];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  };

  it('serves the CSV heading row, which ingests back with a row filled in', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/catalog/items/admin_penalty/template.csv' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="admin_penalty-template\.csv"; filename\*=UTF-8''%E8%A1%8C/,
    );
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const headings = res.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split(',');
    expect(headings.slice(0, 3)).toEqual(['行政相对人名称*', '行政相对人类别*', '统一社会信用代码']);
    expect(headings).toContain('处罚决定日期*');
    expect(headings).toContain('罚款金额（万元）');

    const record = penaltyRecord({ 行政处罚决定书文号: '榕市监处〔2025〕901号' });
    const filled = Buffer.concat([
      res.rawPayload,
      Buffer.from(stringify([headings.map((h) => valueFor(record, h))])),
    ]);
    const ingested = await upload('template.csv', filled);
    expect(ingested.statusCode).toBe(201);
    expect(ingested.json()).toMatchObject({
      status: 'committed',
      total: 1,
      accepted: 1,
      rejected: 0,
      review: 0,
      droppedColumns: [],
    });
  });

  it('serves the XLSX with required headings bold and a sheet 说明, which ingests back filled in', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/catalog/items/admin_penalty/template.xlsx' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers['content-disposition']).toContain('filename="admin_penalty-template.xlsx"');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['行政处罚信息', '说明']);
    const [data, notes] = workbook.worksheets as [ExcelJS.Worksheet, ExcelJS.Worksheet];
    const headings = (data.getRow(1).values as unknown[]).slice(1).map(String);
    expect(headings[0]).toBe('行政相对人名称*');
    expect(data.getRow(1).getCell(1).font.bold).toBe(true);
    expect(data.getRow(1).getCell(3).font?.bold).not.toBe(true);
    const explained = notes.getRows(2, headings.length)?.map((r) => (r.values as unknown[]).slice(1)) ?? [];
    expect(explained.find((r) => r[1] === 'decision_date')).toEqual([
      '处罚决定日期*',
      'decision_date',
      expect.any(String),
      '是',
      'date',
      expect.stringMatching(/^日期 YYYY-MM-DD/),
      '',
    ]);
    expect(explained.find((r) => r[1] === 'severity')?.slice(3, 6)).toEqual([
      '否',
      'enum',
      '取值之一：轻微、一般、严重',
    ]);

    const record = penaltyRecord({ 行政处罚决定书文号: '榕市监处〔2025〕902号' });
    data.addRow(headings.map((h) => valueFor(record, h)));
    const filled = Buffer.from(await workbook.xlsx.writeBuffer());
    const ingested = await upload('template.xlsx', filled);
    expect(ingested.statusCode).toBe(201);
    expect(ingested.json()).toMatchObject({ status: 'committed', accepted: 1, rejected: 0, review: 0 });
  });

  it('answers an unknown item 404 in the catalogue shape; refuses a designated list and an overlong code', async () => {
    for (const format of ['csv', 'xlsx']) {
      const missing = await t.app.inject({
        method: 'GET',
        url: `/api/catalog/items/gossip/template.${format}`,
      });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ error: 'not_found', message: 'no catalog item gossip' });
    }
    const designated = await t.app.inject({
      method: 'GET',
      url: '/api/catalog/items/serious_dishonesty_list/template.csv',
    });
    expect(designated.statusCode).toBe(422);
    expect(designated.json()).toMatchObject({
      error: 'rule_violation',
      field: 'code',
      value: 'serious_dishonesty_list',
      rule: 'list.by_case',
    });
    // Chinese unless English is asked for; the rule code is the same in both.
    for (const [language, message] of [
      [
        'zh-CN',
        'code：serious_dishonesty_list 的信息只能通过认定程序（POST /api/list-cases）形成，不通过文件报送，因此没有填报模板',
      ],
      [
        'en',
        'code: serious_dishonesty_list entries are made only by a designation case (POST /api/list-cases), never sent in a file: it has no file template',
      ],
    ]) {
      const answer = await t.app.inject({
        method: 'GET',
        url: '/api/catalog/items/serious_dishonesty_list/template.csv',
        headers: { 'accept-language': language ?? '' },
      });
      expect(answer.json()).toMatchObject({ message, rule: 'list.by_case' });
    }
    const chinese = await t.app.inject({
      method: 'GET',
      url: '/api/catalog/items/gossip/template.csv',
      headers: { 'accept-language': 'zh-CN,zh;q=0.9' },
    });
    expect(chinese.json()).toEqual({ error: 'not_found', message: '目录项 gossip 不存在' });
    const long = await t.app.inject({
      method: 'GET',
      url: `/api/catalog/items/${'x'.repeat(65)}/template.csv`,
    });
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({ error: 'validation_failed', field: 'code' });
  });

  it('declares both bodies in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json<{
      paths: Record<string, { get?: { responses?: Record<string, { content?: unknown }> } }>;
    }>();
    const body = (format: string) =>
      doc.paths[`/api/catalog/items/{code}/template.${format}`]?.get?.responses?.['200']?.content;
    const file = { schema: { type: 'string', format: 'binary' } };
    expect(body('csv')).toEqual({ 'text/csv': file });
    expect(body('xlsx')).toEqual({
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': file,
    });
  });
});

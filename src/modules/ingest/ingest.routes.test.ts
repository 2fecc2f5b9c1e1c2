import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { multipart } from '../../../test/support/multipart.ts';
import { penaltyRecord } from '../../../test/support/records.ts';
import type { Actor } from '../auth/index.ts';
import type { BatchSummary } from './ingest.service.ts';

/** The fixture's summary, as its expected-outcome file gives it. */
const { revoked: _revoked, ...expectedCounts } = (
  JSON.parse(await fs.readFile(path.resolve('test/fixtures/penalties.expected.json'), 'utf8')) as {
    counts: Record<string, number>;
  }
).counts;

const ADMIN: Actor = { kind: 'system', name: 'test' };
let t: TestApp;
let scjg: string;
let sw: string;

beforeAll(async () => {
  t = await createTestApp();
  scjg = (
    await t.container.auth.createToken(ADMIN, {
      name: '市场监管报送',
      role: 'data_clerk',
      department: 'FZ-SCJG',
    })
  ).token;
  sw = (
    await t.container.auth.createToken(ADMIN, { name: '税务报送', role: 'data_clerk', department: 'FZ-SW' })
  ).token;
});

afterAll(async () => {
  await t.close();
});

const upload = async (
  token: string,
  fields: Record<string, string>,
  file?: { name: string; content: Buffer },
) => {
  const { payload, headers } = multipart(fields, file);
  return t.app.inject({
    method: 'POST',
    url: '/api/ingest/batches',
    payload,
    headers: { ...headers, authorization: `Bearer ${token}` },
  });
};

describe('POST /api/ingest/batches', () => {
  it("takes a department system's upload and reports the batch", async () => {
    const content = await fs.readFile(path.resolve('test/fixtures/penalties-gbk.csv'));
    const res = await upload(scjg, { item: 'admin_penalty' }, { name: 'penalties-gbk.csv', content });
    expect(res.statusCode).toBe(201);
    const summary = res.json<BatchSummary>();
    expect(summary).toMatchObject({
      status: 'committed',
      department: 'FZ-SCJG',
      ...expectedCounts,
    });

    const shown = await t.app.inject({
      method: 'GET',
      url: `/api/ingest/batches/${summary.batchId}`,
      headers: { authorization: `Bearer ${scjg}` },
    });
    expect(shown.json()).toEqual(summary);
    const errors = await t.app.inject({
      method: 'GET',
      url: `/api/ingest/batches/${summary.batchId}/errors`,
      headers: { authorization: `Bearer ${scjg}` },
    });
    expect(errors.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(errors.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(errors.body).toContain('错误原因');
    expect(errors.body.split('\n').filter((l) => l.trim() !== '')).toHaveLength(1 + 7);
    const xlsx = await t.app.inject({
      method: 'GET',
      url: `/api/ingest/batches/${summary.batchId}/errors?format=xlsx`,
      headers: { authorization: `Bearer ${scjg}` },
    });
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it("refuses data for another department, and hides one department's batches from another", async () => {
    const content = await fs.readFile(path.resolve('test/fixtures/penalties-gbk.csv'));
    const res = await upload(
      sw,
      { item: 'admin_penalty', department: 'FZ-SCJG' },
      { name: 'p.csv', content },
    );
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'forbidden', rule: 'policy.own_department' });
    const hidden = await t.app.inject({
      method: 'GET',
      url: '/api/ingest/batches/1',
      headers: { authorization: `Bearer ${sw}` },
    });
    const missing = await t.app.inject({
      method: 'GET',
      url: '/api/ingest/batches/99999',
      headers: { authorization: `Bearer ${sw}` },
    });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.body).toBe(missing.body);
  });

  it('names what is missing from a request', async () => {
    const noFile = await upload(scjg, { item: 'admin_penalty' });
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json()).toMatchObject({ field: 'file', rule: 'required' });
    const noItem = await upload(scjg, {}, { name: 'p.csv', content: Buffer.from('a\n') });
    expect(noItem.json()).toMatchObject({ field: 'item', rule: 'required' });
  });
});

describe('saved column mappings', () => {
  it("map a department's own headings on its next files", async () => {
    // The department's own heading 被处罚单位 in place of 行政相对人名称.
    const { 行政相对人名称: name, ...rest } = penaltyRecord({ 行政处罚决定书文号: '榕市监处〔2025〕301号' });
    const record = { 被处罚单位: name, ...rest };
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/ingest/records',
        headers: { authorization: `Bearer ${scjg}` },
        payload: { item: 'admin_penalty', records: [record] },
      });
    const before = await send();
    expect(before.statusCode).toBe(422);
    expect(before.json()).toMatchObject({ rule: 'ingest.missing_columns', value: '行政相对人名称' });
    const saved = await t.app.inject({
      method: 'PUT',
      url: '/api/ingest/mappings',
      headers: { authorization: `Bearer ${scjg}` },
      payload: { item: 'admin_penalty', heading: '被处罚单位', field: '行政相对人名称' },
    });
    expect(saved.json()).toEqual({ heading: '被处罚单位', field: 'subject_name' });
    const after = await send();
    expect(after.statusCode).toBe(201);
    expect(after.json()).toMatchObject({ accepted: 1, droppedColumns: [] });
    const unknownField = await t.app.inject({
      method: 'PUT',
      url: '/api/ingest/mappings',
      headers: { authorization: `Bearer ${scjg}` },
      payload: { item: 'admin_penalty', heading: 'x', field: 'gossip' },
    });
    expect(unknownField.json()).toMatchObject({ rule: 'mapping.field', value: 'gossip' });
  });
});

describe('POST /api/ingest/records', () => {
  it('accepts records as JSON objects through the same checks', async () => {
    const record = penaltyRecord({ 处罚类别: '罚款', 处罚内容: '罚款一万元', '罚款金额（万元）': 1 });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/ingest/records',
      headers: { authorization: `Bearer ${scjg}` },
      payload: {
        item: 'admin_penalty',
        records: [record, { ...record, 处罚决定日期: '2099-01-01', 行政处罚决定书文号: 'X-1' }],
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ total: 2, accepted: 1, rejected: 1 });
  });
});

describe("the rows to correct, in the reader's language", () => {
  const send = (records: Array<Record<string, unknown>>, language: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/ingest/records',
      headers: { authorization: `Bearer ${scjg}`, 'accept-language': language },
      payload: { item: 'admin_penalty', records },
    });
  const get = (url: string, language: string) =>
    t.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${scjg}`, 'accept-language': language },
    });

  it('says why each row was refused in Chinese or English, rules unchanged, from the one stored batch', async () => {
    const sent = await send(
      [
        penaltyRecord({ 行政处罚决定书文号: '榕市监处〔2025〕901号' }),
        penaltyRecord({ 行政处罚决定书文号: '榕市监处〔2025〕902号', 处罚决定日期: '2099-01-01' }),
        penaltyRecord({
          行政处罚决定书文号: '榕市监处〔2025〕903号',
          统一社会信用代码: '91350100M000100Y4Z',
        }),
        // The same decision as row 1 with other contents: refused by the commit's own statement.
        penaltyRecord({ 行政处罚决定书文号: '榕市监处〔2025〕901号', 处罚内容: '警告并责令改正' }),
      ],
      'zh-CN',
    );
    expect(sent.statusCode).toBe(201);
    const { batchId } = sent.json<BatchSummary>();
    expect(sent.json()).toMatchObject({ accepted: 1, rejected: 3 });

    const zh = (await get(`/api/ingest/batches/${batchId}/errors`, 'zh-CN,zh;q=0.9')).body;
    const en = (await get(`/api/ingest/batches/${batchId}/errors`, 'en')).body;
    expect(zh).toContain('处罚决定日期：决定日期 2099-01-01 晚于今天（');
    // Each row's status in the reader's language, not the platform's code.
    expect(zh).toContain(',退回更正,');
    expect(en).toContain(',"rejected, to correct",');
    // The identifier module's explanation, in the same language as the reason that quotes it.
    expect(zh).toContain(
      '统一社会信用代码：第 18 位的字符“Z”（代码不使用字母 I、O、S、V、Z）不在代码字符集中 [identifier.alphabet]',
    );
    expect(zh).toContain(
      '同一条记录（榕市监处〔2025〕901号）已在第 1 行出现，但内容不同 [batch.conflicting_rows]',
    );
    expect(en).toContain('处罚决定日期: the decision date 2099-01-01 is after today (');
    expect(en).toContain(
      "统一社会信用代码: character 'Z' (the letters I, O, S, V and Z are never used) at position 18 is not in the code alphabet [identifier.alphabet]",
    );
    expect(en).toContain(
      'the same record (榕市监处〔2025〕901号) appears in row 1 with other values [batch.conflicting_rows]',
    );
    // Without Accept-Language: the platform's default (English in the tests' configuration).
    expect((await get(`/api/ingest/batches/${batchId}/errors`, '')).body).toBe(en);
  });

  it("says why a batch failed in the reader's language, when it fails and whenever it is read", async () => {
    const { 行政相对人名称: _name, ...nameless } = penaltyRecord({
      行政处罚决定书文号: '榕市监处〔2025〕911号',
    });
    const failed = await send([nameless], 'zh-CN');
    expect(failed.statusCode).toBe(422);
    const body = failed.json<{ message: string; rule: string }>();
    expect(body.rule).toBe('ingest.missing_columns');
    expect(body.message).toMatch(/^批次 \d+ 处理失败：缺少必填列：行政相对人名称$/);
    const batchId = Number(/^批次 (\d+)/.exec(body.message)?.[1]);
    expect((await send([nameless], 'en')).json<{ message: string }>().message).toMatch(
      /^batch \d+ failed: missing required columns: 行政相对人名称$/,
    );
    const shown = (language: string) =>
      get(`/api/ingest/batches/${batchId}`, language).then((r) => r.json<BatchSummary>().message);
    expect(await shown('zh-CN')).toBe('缺少必填列：行政相对人名称');
    expect(await shown('en')).toBe('missing required columns: 行政相对人名称');
  });
});

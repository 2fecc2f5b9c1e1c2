/**
 * What a batch says of itself for the console: the file it came from, when it arrived, and the
 * link between a batch and the corrected files that fix its rows, in both directions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { multipart } from '../../../test/support/multipart.ts';
import { penaltyRecord } from '../../../test/support/records.ts';
import type { Actor } from '../auth/index.ts';
import type { BatchSummary } from './ingest.service.ts';

const ADMIN: Actor = { kind: 'system', name: 'test' };
let t: TestApp;
let token: string;

beforeAll(async () => {
  t = await createTestApp();
  token = (
    await t.container.auth.createToken(ADMIN, {
      name: '市场监管报送',
      role: 'data_clerk',
      department: 'FZ-SCJG',
    })
  ).token;
});

afterAll(async () => {
  await t.close();
});

function csv(records: Array<Record<string, unknown>>): Buffer {
  const headers = Object.keys(records[0] ?? {});
  const lines = [
    headers.join(','),
    ...records.map((r) => headers.map((h) => String((r[h] as string | number | undefined) ?? '')).join(',')),
  ];
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

async function upload(fields: Record<string, string>, name: string, content: Buffer): Promise<BatchSummary> {
  const { payload, headers } = multipart(fields, { name, content });
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/ingest/batches',
    payload,
    headers: { ...headers, authorization: `Bearer ${token}` },
  });
  expect(res.statusCode).toBe(201);
  return res.json<BatchSummary>();
}

const get = async <T>(url: string): Promise<T> =>
  (await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } })).json<T>();

describe('a batch and the batch that corrects it', () => {
  it('names its file and time, the batch it corrects, and the batches that corrected it', async () => {
    const first = await upload(
      { item: 'admin_penalty' },
      '处罚-十一月.csv',
      csv([
        penaltyRecord({ 行政处罚决定书文号: '榕市监处〔2025〕951号' }),
        penaltyRecord({ 行政处罚决定书文号: '榕市监处〔2025〕952号', 处罚决定日期: '2099-01-01' }),
      ]),
    );
    expect(first).toMatchObject({
      accepted: 1,
      rejected: 1,
      fileName: '处罚-十一月.csv',
      corrects: null,
      correctedBy: [],
    });
    expect(Number.isNaN(Date.parse(first.createdAt))).toBe(false);

    const fixed = await upload(
      { item: 'admin_penalty', corrects: String(first.batchId) },
      '处罚-十一月-改正.csv',
      csv([penaltyRecord({ 行政处罚决定书文号: '榕市监处〔2025〕952号' })]),
    );
    expect(fixed).toMatchObject({ accepted: 1, corrects: first.batchId, correctedBy: [] });

    expect(await get<BatchSummary>(`/api/ingest/batches/${first.batchId}`)).toMatchObject({
      corrects: null,
      correctedBy: [fixed.batchId],
    });
    expect(await get<BatchSummary>(`/api/ingest/batches/${fixed.batchId}`)).toMatchObject({
      fileName: '处罚-十一月-改正.csv',
      corrects: first.batchId,
      correctedBy: [],
    });
    const listed = await get<BatchSummary[]>('/api/ingest/batches');
    expect(listed.slice(0, 2).map((b) => [b.batchId, b.corrects, b.correctedBy])).toEqual([
      [fixed.batchId, first.batchId, []],
      [first.batchId, null, [fixed.batchId]],
    ]);
  });
});

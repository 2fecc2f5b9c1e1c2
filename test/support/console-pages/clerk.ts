/**
 * The data clerk's pages (and the reviewer's data quality page): a batch with a rejected row and a
 * row for review, a correction linked to it, so that the batch, its correction and the review
 * queue have something to show; the upload page on its own and as a correction.
 */
import { multipart } from '../multipart.ts';
import { penaltyRecord } from '../records.ts';
import type { ServedApp } from '../browser.ts';
import type { ConsoleArea } from './index.ts';

const DEMO_PASSWORD = 'xinyong-demo-2026';

function csv(records: Array<Record<string, unknown>>): Buffer {
  const headers = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const lines = [
    headers.join(','),
    ...records.map((r) => headers.map((h) => String((r[h] as string | number | undefined) ?? '')).join(',')),
  ];
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

async function seed(t: ServedApp): Promise<Record<string, string>> {
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'clerk.scjg', password: DEMO_PASSWORD },
  });
  const cookie = ([] as string[])
    .concat(login.headers['set-cookie'] ?? [])
    .map((c) => c.split(';')[0])
    .join('; ');
  const upload = async (
    fields: Record<string, string>,
    name: string,
    rows: Array<Record<string, unknown>>,
  ) => {
    const { payload, headers } = multipart(fields, { name, content: csv(rows) });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/ingest/batches',
      payload,
      headers: { ...headers, cookie },
    });
    if (res.statusCode !== 201) {
      throw new Error(`seeding the clerk's pages: ${res.statusCode} ${res.body}`);
    }
    return res.json<{ batchId: number }>().batchId;
  };
  const { 统一社会信用代码: _code, ...nameOnly } = penaltyRecord({
    行政处罚决定书文号: '榕市监处〔2025〕781号',
    行政相对人名称: '福州某某示例商行',
  });
  const first = await upload({ item: 'admin_penalty' }, '处罚信息-测试.csv', [
    penaltyRecord({ 行政处罚决定书文号: '榕市监处〔2025〕779号' }),
    penaltyRecord({ 行政处罚决定书文号: '榕市监处〔2025〕780号', 违法事实: '' }),
    nameOnly,
  ]);
  const fixed = await upload({ item: 'admin_penalty', corrects: String(first) }, '处罚信息-改正.csv', [
    penaltyRecord({ 行政处罚决定书文号: '榕市监处〔2025〕780号' }),
  ]);
  return { first: String(first), fixed: String(fixed) };
}

export const area: ConsoleArea = {
  name: 'clerk',
  seed,
  pages: (seeded) => [
    {
      name: 'upload a file',
      path: '/console/batches/new',
      ready: 'form.upload-form[data-loaded]',
      account: 'clerk.scjg',
    },
    {
      name: 'upload a correction',
      path: `/console/batches/new?corrects=${seeded.first}`,
      ready: `.notice a[href="/console/batches/${seeded.first}"]`,
      account: 'clerk.scjg',
    },
    {
      name: 'batches',
      path: '/console/batches',
      ready: `table.plain a[href="/console/batches/${seeded.fixed}"]`,
      account: 'clerk.scjg',
    },
    {
      name: 'a corrected batch',
      path: `/console/batches/${seeded.first}`,
      ready: `dd a[href="/console/batches/${seeded.fixed}"]`,
      account: 'clerk.scjg',
    },
    {
      name: 'a correcting batch',
      path: `/console/batches/${seeded.fixed}`,
      ready: `dd a[href="/console/batches/${seeded.first}"]`,
      account: 'clerk.scjg',
    },
    { name: 'review queue', path: '/console/review', ready: 'article.review-row', account: 'clerk.scjg' },
    { name: 'data quality', path: '/console/quality', ready: 'table.plain tbody tr', account: 'clerk.scjg' },
    {
      name: 'data quality (reviewer)',
      path: '/console/quality',
      ready: 'table.plain tbody tr',
      account: 'reviewer.scjg',
    },
    { name: 'templates', path: '/console/templates', ready: 'table.plain tbody tr', account: 'clerk.scjg' },
  ],
};

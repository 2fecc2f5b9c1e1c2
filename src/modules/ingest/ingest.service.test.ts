import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { penaltyRecord } from '../../../test/support/records.ts';
import type { Actor } from '../auth/index.ts';
import { BatchFailedError } from './ingest.service.ts';

const FIXTURES = path.resolve('test/fixtures');
const expected = JSON.parse(await fs.readFile(path.join(FIXTURES, 'penalties.expected.json'), 'utf8')) as {
  rows: Array<{ row: number; expect: string }>;
  counts: { total: number; accepted: number; rejected: number; duplicates: number; review: number };
  xlsxExtraRow: { row: number; expect: string };
};

let t: TestApp;
let clerk: Actor;

beforeAll(async () => {
  t = await createTestApp();
  clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: 'xinyong-demo-2026' })).actor;
});

afterAll(async () => {
  await t.close();
});

/** What the platform made of each row: `status` or `status: column rule`. */
async function outcomes(batchId: number): Promise<Map<number, string>> {
  const { rows } = await sql<{
    row_no: number;
    status: string;
    reasons: Array<{ column: string; rule: string }>;
  }>`
    select row_no, status, reasons from batch_row where batch_id = ${batchId} order by row_no`.execute(
    t.container.database.db,
  );
  return new Map(
    rows.map((r) => [
      r.row_no,
      [r.status, ...r.reasons.map((x) => `${x.column} ${x.rule}`.trim())].join(': '),
    ]),
  );
}

function expectation(text: string): string {
  // "rejected: 统一社会信用代码 identifier.check_char" stays; "accepted: why …" → "accepted"
  const [status, rest] = text.split(': ');
  if (status === 'revoked') {
    return 'accepted'; // a revocation is accepted: it becomes the record's revoked version
  }
  return status === 'rejected' || status === 'review' ? `${status}: ${rest ?? ''}` : (status ?? '');
}

describe('ingest of a messy GBK CSV', () => {
  it('detects the encoding, drops unknown columns, and decides every row as the expected file says', async () => {
    const summary = await t.container.ingest.ingestFile(clerk, {
      department: 'FZ-SCJG',
      item: 'admin_penalty',
      file: path.join(FIXTURES, 'penalties-gbk.csv'),
      fileName: 'penalties-gbk.csv',
    });
    const { total, accepted, rejected, duplicates, review } = expected.counts;
    expect(summary).toMatchObject({
      status: 'committed',
      total,
      accepted,
      rejected,
      duplicates,
      review,
      warnings: 2,
      droppedColumns: ['内部编号'],
    });
    const got = await outcomes(summary.batchId);
    for (const { row, expect: text } of expected.rows) {
      expect(got.get(row), `row ${row}`).toBe(expectation(text));
    }
    const { rows: batches } = await sql<{
      encoding: string;
    }>`select encoding from batch where id = ${summary.batchId}`.execute(t.container.database.db);
    expect(batches[0]?.encoding).toBe('gb18030');
  });

  it('committed the accepted rows as records, with tiers and display windows, and subjects with protected codes', async () => {
    const db = t.container.database.db;
    const { rows } = await sql<{
      identity_key: string;
      tier: string;
      longest_until: string;
      display_public: boolean;
      kind: string;
      masked: string;
      value: string | null;
    }>`
      select r.identity_key, r.tier, r.longest_until, r.display_public, s.kind, sc.masked, sc.value
      from record r join subject s on s.id = r.subject_id
      join subject_code sc on sc.subject_id = s.id and sc.kind in ('uscc', 'citizen_id')
      where r.item_code = 'admin_penalty' order by r.row_no`.execute(db);
    expect(rows.map((r) => [r.identity_key, r.tier, r.longest_until, r.display_public, r.kind])).toEqual([
      ['榕市监处〔2025〕101号', 'general', '2026-03-05', true, 'legal_person'],
      ['榕市监处〔2025〕102号', 'serious', '2028-06-01', true, 'legal_person'],
      ['榕市监简处〔2025〕7号', 'minor', '2025-11-01', false, 'natural_person'],
      ['榕市监处〔2024〕56号', 'minor', '2025-02-20', false, 'legal_person'],
      ['榕市监处〔2025〕112号', 'minor', '2025-12-10', false, 'legal_person'],
    ]);
    const person = rows[2];
    expect(person?.value).toBeNull(); // a citizen ID is never stored in clear
    // Nor the person's name or ID in the record and the staged rows: only sealed and masked.
    const { rows: stored } = await sql<{ text: string }>`
      select payload::text as text from record union all select payload::text from batch_row
      union all select coalesce(normalized::text, '') from batch_row`.execute(db);
    const all = stored.map((r) => r.text).join('\n');
    expect(all).not.toContain('李四');
    expect(all).not.toMatch(/350102198001010\d{2}[\dX]/);
    expect(all).toMatch(/"masked": ?"李\*"/);
    expect(person?.masked).toMatch(/^350102\*{8}\d{3}[\dX]$/);
    const { rows: subjects } = await sql<{ status: string }>`select status from subject`.execute(db);
    expect(subjects.every((s) => s.status === 'provisional')).toBe(true);
  });

  it('finds the subject by its organisation code, and withdraws a revoked decision', async () => {
    const db = t.container.database.db;
    const { rows } = await sql<{
      row_no: number;
      subject_id: number;
      status: string;
      status_reason: string | null;
    }>`
      select row_no, subject_id, status, status_reason from record where item_code = 'admin_penalty' order by row_no`.execute(
      db,
    );
    const byRow = new Map(rows.map((r) => [r.row_no, r]));
    // Row 14 gives only the organisation code inside row 2's unified code: the same subject.
    expect(byRow.get(14)?.subject_id).toBe(byRow.get(2)?.subject_id);
    const revoked = expected.rows.filter((r) => r.expect.startsWith('revoked')).map((r) => r.row);
    expect(revoked).toHaveLength(1);
    expect(rows.filter((r) => r.status === 'revoked').map((r) => r.row_no)).toEqual(revoked);
    expect(byRow.get(revoked[0] ?? 0)?.status_reason).toContain('撤销');
    const { rows: subjects } = await sql<{ n: number }>`select count(*) as n from subject`.execute(db);
    expect(subjects[0]?.n).toBe(3); // two companies and one person: no subject twice
  });

  it('writes exactly one audit event for the batch', async () => {
    const { rows } = await sql<{ action: string; details: { accepted: number; rejected: number } }>`
      select action, details from audit_event where action = 'batch.commit'`.execute(t.container.database.db);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.details).toMatchObject({
      accepted: expected.counts.accepted,
      rejected: expected.counts.rejected,
    });
  });
});

describe('ingest of an XLSX', () => {
  it('reads dates as dates, refuses a formula without a saved value, and sees what is already recorded', async () => {
    const summary = await t.container.ingest.ingestFile(clerk, {
      department: 'FZ-SCJG',
      item: 'admin_penalty',
      file: path.join(FIXTURES, 'penalties.xlsx'),
      fileName: 'penalties.xlsx',
    });
    // The rows the CSV committed are duplicates now, as is the repeated first row.
    const c = expected.counts;
    expect(summary).toMatchObject({
      status: 'committed',
      total: c.total + 1,
      accepted: 0,
      rejected: c.rejected + 1,
      duplicates: c.accepted + c.duplicates,
      review: c.review,
    });
    const got = await outcomes(summary.batchId);
    expect(got.get(expected.xlsxExtraRow.row)).toBe(expectation(expected.xlsxExtraRow.expect));
    expect(got.get(2)).toBe('duplicate');
  });

  it('exports the rows to correct with their original columns and reasons', async () => {
    const batches = await t.container.ingest.batches(clerk, 'FZ-SCJG');
    const sheet = await t.container.ingest.problems(clerk, batches[0]?.batchId ?? 0);
    expect(sheet.headers[0]).toBe('行政相对人名称');
    expect(sheet.rows.map((r) => r.rowNo)).toEqual([4, 5, 6, 7, 10, 11, 12, 15]);
    expect(sheet.rows.find((r) => r.rowNo === 7)?.reasons).toContain(
      'spreadsheet has already dropped digits',
    );
  });
});

describe('refusals of a whole batch', () => {
  async function failure(
    content: string | Buffer,
    name: string,
    options: { encoding?: string; sheet?: string } = {},
  ) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-ingest-'));
    const file = path.join(dir, name);
    await fs.writeFile(file, content);
    const err = await t.container.ingest
      .ingestFile(clerk, { department: 'FZ-SCJG', item: 'admin_penalty', file, fileName: name, ...options })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BatchFailedError);
    const failed = err as BatchFailedError;
    const batch = await t.container.ingest.batch(clerk, failed.batchId);
    expect(batch.status).toBe('failed');
    const { rows } = await sql<{
      n: number;
    }>`select count(*) as n from record where batch_id = ${failed.batchId}`.execute(t.container.database.db);
    expect(rows[0]?.n).toBe(0);
    return failed;
  }

  it('names missing required columns', async () => {
    const err = await failure('行政相对人名称,统一社会信用代码\n某公司,91350100M000100Y43\n', 'x.csv');
    expect(err.rule).toBe('ingest.missing_columns');
    expect(err.message).toMatch(/missing required columns: 行政相对人类别、.*处罚决定日期/);
  });

  it('names an unknown encoding, a wrong sheet, a truncated file and an old .xls', async () => {
    expect((await failure('a,b\n', 'x.csv', { encoding: 'big5' })).rule).toBe('ingest.encoding');
    expect(
      (await failure(await fs.readFile(path.join(FIXTURES, 'penalties.xlsx')), 'x.xlsx', { sheet: '许可' }))
        .message,
    ).toContain('no sheet named "许可"; the workbook has: 行政处罚');
    const xlsx = await fs.readFile(path.join(FIXTURES, 'penalties.xlsx'));
    expect((await failure(xlsx.subarray(0, 2000), 'cut.xlsx')).rule).toBe('ingest.xlsx');
    expect((await failure('行政相对人名称,"unterminated\n', 'cut.csv')).message).toMatch(
      /truncated|could not be read/,
    );
    await expect(
      t.container.ingest.ingestFile(clerk, {
        department: 'FZ-SCJG',
        item: 'admin_penalty',
        file: path.join(FIXTURES, 'penalties.xlsx'),
        fileName: 'old.xls',
      }),
    ).rejects.toMatchObject({ rule: 'ingest.format' });
  });

  it('refuses a row of 10,000 columns, and data for another department', async () => {
    const header =
      '行政相对人名称,行政相对人类别,统一社会信用代码,行政处罚决定书文号,违法行为类型,违法事实,处罚依据,处罚类别,处罚内容,处罚决定日期,处罚机关,处罚机关统一社会信用代码,数据来源单位,数据来源单位统一社会信用代码';
    const err = await failure(
      `${header},${Array.from({ length: 9990 }, (_, i) => `c${i}`).join(',')}\n`,
      'wide.csv',
    );
    expect(err.rule).toBe('ingest.columns');
    await expect(
      t.container.ingest.ingestFile(clerk, {
        department: 'FZ-SW',
        item: 'admin_penalty',
        file: path.join(FIXTURES, 'penalties-gbk.csv'),
        fileName: 'p.csv',
      }),
    ).rejects.toMatchObject({ status: 403, rule: 'policy.own_department' });
    await expect(
      t.container.ingest.ingestFile(clerk, {
        department: 'FZ-SCJG',
        item: 'gossip',
        file: path.join(FIXTURES, 'penalties-gbk.csv'),
        fileName: 'p.csv',
      }),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe('rows that must not be committed wrongly', () => {
  const HEADER =
    '行政相对人名称,行政相对人类别,统一社会信用代码,证件类型,证件号码,行政处罚决定书文号,违法行为类型,违法事实,处罚依据,处罚类别,处罚内容,处罚决定日期,处罚机关,处罚机关统一社会信用代码,数据来源单位,数据来源单位统一社会信用代码';
  const tail = '广告,违法事实,依据,警告,警告,2025-05-05,某局,1135010000366411XP,某局,1135010000366411XP';

  async function ingestText(text: string, name = 'rows.csv') {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-rows-'));
    const file = path.join(dir, name);
    await fs.writeFile(file, text);
    const summary = await t.container.ingest.ingestFile(clerk, {
      department: 'FZ-SCJG',
      item: 'admin_penalty',
      file,
      fileName: name,
    });
    return { summary, got: await outcomes(summary.batchId) };
  }

  it('refuses a row whose values have shifted, a NUL, and a passport number as a subject code', async () => {
    const { summary, got } = await ingestText(
      [
        HEADER,
        `某甲公司,法人及非法人组织,91350100M000100Y43,,,文号-1,虚假,宣传,违法事实,${tail.split(',').slice(2).join(',')},多出来的`,
        `某乙公司,法人及非法人组织,91350100M000100Y43,,,文号-2,${tail.replace('违法事实', '含\u0000字符')}`,
        `约翰,自然人,,护照号,E12345678,文号-3,${tail}`,
      ].join('\n'),
    );
    expect(got.get(2)).toMatch(/^rejected: ingest\.row/);
    expect(got.get(3)).toBe('rejected: 违法事实 text.nul');
    expect(got.get(4)).toBe('review: 行政相对人名称 subject.no_code'); // a passport is kept, not checked as an ID
    expect(summary.accepted).toBe(0);
  });

  it('numbers rows by their line, blank lines included', async () => {
    const { got } = await ingestText(
      `${HEADER}\n\n\n某丁公司,法人及非法人组织,91350100M000100Y4Z,,,文号-4,${tail}\n`,
    );
    expect([...got.keys()]).toEqual([4]);
    expect(got.get(4)).toBe('rejected: 统一社会信用代码 identifier.alphabet');
  });

  it('refuses a file with the same heading twice', async () => {
    const err = await ingestText(`${HEADER},备注,备注\n`).catch((e: unknown) => e);
    expect(err).toMatchObject({ rule: 'ingest.duplicate_columns', value: '备注' });
  });

  it('maps every JSON object by its own keys, and names keys the catalog does not know', async () => {
    const first = penaltyRecord({ 行政处罚决定书文号: '文号-J1', 处罚类别: '罚款', 处罚内容: '罚款' });
    const second = {
      ...first,
      行政处罚决定书文号: '文号-J2',
      '罚款金额（万元）': 50,
      失信程度: '严重',
      内部备注: 'x',
    };
    const { summary } = await ingestText(
      `${JSON.stringify(first)}\n${JSON.stringify(second)}\n`,
      'rows.jsonl',
    );
    expect(summary).toMatchObject({ accepted: 2, droppedColumns: ['内部备注'] });
    const { rows } = await sql<{ tier: string; payload: Record<string, string> }>`
      select tier, payload from record where identity_key = '文号-J2'`.execute(t.container.database.db);
    expect(rows[0]).toMatchObject({ tier: 'serious', payload: { fine_amount: '50' } });
  });
});

import { describe, expect, it } from 'vitest';
import { STALL_MS } from '../records/index.ts';
import type { BatchRow } from './ingest.repository.ts';
import { summarize } from './ingest.service.ts';

const batch = (over: Partial<BatchRow>): BatchRow => ({
  id: 7,
  department_code: 'FZ-SCJG',
  item_code: 'admin_penalty',
  catalog_version_id: 1,
  source_name: 'p.csv',
  source_format: 'csv',
  encoding: 'utf-8',
  sheet: null,
  status: 'staging',
  corrects_batch_id: null,
  domain: null,
  submitted_by: 'token:1',
  total: 0,
  accepted: 0,
  rejected: 0,
  duplicates: 0,
  review: 0,
  warnings: 0,
  dropped_columns: [],
  columns: [],
  message: null,
  message_key: null,
  created_at: new Date('2026-11-22T02:00:00Z'),
  committed_at: null,
  rows_read: 4000,
  timed: 0,
  late: 0,
  completeness: null,
  read_fraction: 0.4,
  progress_at: new Date('2026-11-22T02:00:00Z'),
  ...over,
});

describe('a batch summary', () => {
  const at = new Date('2026-11-22T02:00:00Z').getTime();

  it("reports a running batch's progress", () => {
    expect(summarize(batch({}), at + 1000)).toMatchObject({
      status: 'staging',
      rowsRead: 4000,
      readFraction: 0.4,
    });
  });

  it('says a batch that stopped making progress was interrupted, and that nothing of it was committed', () => {
    // Committing 4,000 rows is allowed four more seconds before it counts as interrupted.
    expect(summarize(batch({ status: 'validated' }), at + STALL_MS + 1).status).toBe('validated');
    const s = summarize(batch({ status: 'validated' }), at + STALL_MS + 4001);
    expect(s.status).toBe('interrupted');
    expect(s.message).toContain('nothing of it was committed');
    expect(summarize(batch({ status: 'committed' }), at + STALL_MS * 10).status).toBe('committed');
    expect(summarize(batch({ status: 'validated' }), at + STALL_MS + 4001, 'zh-CN').message).toBe(
      '已中断：自 2026-11-22T02:00:00.000Z 起没有进展；该批次的数据均未提交：请重新报送文件',
    );
  });

  it("says why a batch failed in the reader's language, and a message stored without a key as it was", () => {
    const failed = batch({
      status: 'failed',
      message: 'missing required columns: 处罚决定日期',
      message_key: {
        key: 'ingest.source.missing_columns',
        params: { columns: '处罚决定日期' },
      },
    });
    expect(summarize(failed, at, 'en').message).toBe('missing required columns: 处罚决定日期');
    expect(summarize(failed, at, 'zh-CN').message).toBe('缺少必填列：处罚决定日期');
    // Stored before messages had keys, or under a key the catalogue no longer has: its English.
    const before = batch({ status: 'failed', message: 'the file is empty' });
    expect(summarize(before, at, 'zh-CN').message).toBe('the file is empty');
    const renamed = batch({ ...failed, message_key: { key: 'ingest.gone', params: {} } });
    expect(summarize(renamed, at, 'zh-CN').message).toBe('missing required columns: 处罚决定日期');
  });
});

import { describe, expect, it } from 'vitest';
import { msg } from '../../platform/i18n/index.ts';
import { validate } from '../identifiers/index.ts';
import { joined, shownReason, sqlFormat, storedReason, storedText } from './ingest.reasons.ts';

describe('a stored reason', () => {
  const failed = validate('91350100M000100Y4Z').checks.find((c) => c.name === 'check_char');
  const reason = {
    field: 'subject_code',
    column: '统一社会信用代码',
    value: '91350100M000100Y4Z',
    rule: 'identifier.check_char',
    message: failed?.message ?? msg('ingest.reason.not_a_code'),
  };

  it('keeps its key and values beside its English text, and reads back in either language', () => {
    // Through JSON, as batch_row's jsonb keeps it.
    const stored = JSON.parse(JSON.stringify(storedReason(reason))) as ReturnType<typeof storedReason>;
    expect(stored).toMatchObject({
      rule: 'identifier.check_char',
      key: 'identifiers.uscc.check_char',
      message: 'check character is Z, expected 3 (GB 32100 mod 31)',
    });
    expect(shownReason('en', stored)).toBe(
      '统一社会信用代码: check character is Z, expected 3 (GB 32100 mod 31) [identifier.check_char]',
    );
    expect(shownReason('zh-CN', stored)).toBe(
      '统一社会信用代码：校验码为 Z，应为 3（GB 32100，模 31） [identifier.check_char]',
    );
  });

  it('quotes a message inside it in the same language', () => {
    const quoted = storedReason({
      ...reason,
      message: msg('ingest.revocation.invalid_code', { reason: reason.message }),
    });
    expect(storedText('zh-CN', JSON.parse(JSON.stringify(quoted)) as object)).toBe(
      'subjectCode：校验码为 Z，应为 3（GB 32100，模 31）',
    );
  });

  it('reads as its English text when stored before keys, or under a key the catalogue no longer has', () => {
    const before = { column: '', rule: 'ingest.row', message: 'the line is not a JSON object' };
    expect(shownReason('zh-CN', before)).toBe('the line is not a JSON object [ingest.row]');
    expect(storedText('zh-CN', { ...before, key: 'ingest.reason.gone', params: {} })).toBe(
      'the line is not a JSON object',
    );
    expect(
      storedText('zh-CN', {
        ...before,
        key: 'ingest.revocation.invalid_code',
        params: { reason: { key: 'ingest.reason.gone' } },
      }),
    ).toBe('the line is not a JSON object');
  });
});

describe('messages joined', () => {
  it('reads as a list in each language', () => {
    const both = joined([msg('identifiers.change.trim'), msg('ingest.reason.upgraded')]);
    expect(both === undefined ? undefined : storedText('en', storedReason({ ...base, message: both }))).toBe(
      'removed surrounding spaces; a 15-digit ID, converted to 18 digits',
    );
    expect(
      both === undefined ? undefined : storedText('zh-CN', storedReason({ ...base, message: both })),
    ).toBe('已去除首尾空格；15 位身份证号码，已转换为 18 位');
    expect(joined([])).toBeUndefined();
  });
  const base = { field: '', column: '', value: '', rule: 'identifier.normalized' };
});

describe('a reason a statement writes', () => {
  it("takes its English text from the catalogue, with format()'s placeholders", () => {
    expect(sqlFormat('ingest.reason.conflicting_rows', ['record', 'row'])).toBe(
      'the same record (%1$s) appears in row %2$s with other values',
    );
  });
});

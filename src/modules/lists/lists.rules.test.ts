import { describe, expect, it } from 'vitest';
import { render } from '../../platform/i18n/index.ts';
import type { LegalBasis } from '../catalog/index.ts';
import { checkListType, effectiveStatus, minorAt, stepRefusal, type CaseState } from './lists.rules.ts';
import { demoSeriousListType } from './lists.shipped.ts';

const bases = new Map<string, LegalBasis>(
  (
    [
      ['GBF-2020-49', 'central_policy'],
      ['SAMR-SERIOUS-DISHONESTY-LIST', 'departmental_rule'],
      ['SOME-NOTICE', 'normative_document'],
    ] as const
  ).map(([code, rank]) => [code, { code, rank, title: code } as LegalBasis]),
);

describe('minority at the time of the act', () => {
  it('is decided on the 18th birthday, not the year', () => {
    expect(minorAt('2008-03-15', '2026-03-14')).toBe(true);
    expect(minorAt('2008-03-15', '2026-03-15')).toBe(false);
    expect(minorAt('2008-02-29', '2026-02-28')).toBe(true);
  });
});

describe('list types', () => {
  it('accepts the demo serious list type and allows a lower level only on a basis of sufficient rank', () => {
    const def = demoSeriousListType();
    expect(checkListType(def, bases)).toEqual([]);
    const township = {
      ...def,
      designation: { minLevel: 'township' as const, exceptionBasis: 'SOME-NOTICE' },
    };
    expect(
      checkListType(
        { ...township, legalBases: [...def.legalBases, { basis: 'SOME-NOTICE', of: 'list' as const }] },
        bases,
      ).map((r) => r.rule),
    ).toEqual(['list.level']);
    const ruled = {
      ...township,
      designation: { minLevel: 'township' as const, exceptionBasis: 'SAMR-SERIOUS-DISHONESTY-LIST' },
    };
    expect(checkListType(ruled, bases)).toEqual([]);
    expect(
      checkListType({ ...def, legalBases: [{ basis: 'SOME-NOTICE', of: 'list' }] }, bases).map((r) => r.rule),
    ).toEqual(['list.legal_basis', 'list.standard_basis']);
  });
});

describe('the due-process state machine', () => {
  const state = (over: Partial<CaseState>): CaseState => ({
    kind: 'serious_dishonesty',
    status: 'proposed',
    objectionUntil: null,
    validUntil: null,
    leniency: { flags: {}, weighed: {} },
    ...over,
  });
  it('lets through only the next step of each kind', () => {
    expect(stepRefusal('decide', state({}), '2026-01-01')?.rule).toBe('list.step_order');
    expect(stepRefusal('notify', state({}), '2026-01-01')).toBeUndefined();
    expect(stepRefusal('confirm', state({ kind: 'red', status: 'proposed' }), '2026-01-01')?.rule).toBe(
      'list.step_order',
    );
    expect(stepRefusal('decide', state({ kind: 'red', status: 'announced' }), '2026-01-01')?.rule).toBe(
      'list.step_order',
    );
    expect(stepRefusal('notify', state({ kind: 'watch' }), '2026-01-01')?.rule).toBe('list.step_order');
    expect(stepRefusal('notify', state({ kind: 'dishonest_debtor' }), '2026-01-01')?.rule).toBe(
      'list.by_ingest',
    );
  });
  it('opens and closes the objection window on its last day', () => {
    const notified = state({ status: 'notified', objectionUntil: '2026-01-09' });
    expect(stepRefusal('object', notified, '2026-01-09')).toBeUndefined();
    expect(stepRefusal('decide', notified, '2026-01-09')?.rule).toBe('list.objection_window');
    expect(stepRefusal('object', notified, '2026-01-10')?.rule).toBe('list.objection_window');
    expect(stepRefusal('decide', notified, '2026-01-10')).toBeUndefined();
  });
  it('says why in the reader’s language, the step, the status and the rule as they are', () => {
    const refusal = stepRefusal('decide', state({}), '2026-01-01');
    expect(refusal && render('zh-CN', refusal.message)).toBe(
      'decide 须以已告知、异议期已届满且每项异议均已答复为前提；案件当前状态为 proposed（正当程序，国办发〔2020〕49号（八））',
    );
    expect(refusal && render('en', refusal.message)).toBe(
      'decide needs a prior notice and a closed objection window, with every objection answered; the case is proposed (due process, 国办发〔2020〕49号 (八))',
    );
    const early = stepRefusal(
      'decide',
      state({ status: 'notified', objectionUntil: '2026-01-09' }),
      '2026-01-09',
    );
    expect(early && render('zh-CN', early.message)).toBe(
      '当事人可在 2026-01-09 前提出异议：异议期届满前不得作出决定（国办发〔2020〕49号（八））',
    );
  });
  it('ends a listing by the clock on the last day of its validity', () => {
    const listed = state({ status: 'listed', validUntil: '2029-03-10' });
    expect(effectiveStatus(listed, '2029-03-09')).toBe('listed');
    expect(effectiveStatus(listed, '2029-03-10')).toBe('removed');
  });
});

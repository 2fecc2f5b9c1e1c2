/** The shipped measure list and the memoranda the seeds ground. */
import { createRequire } from 'node:module';
import type { MemorandumDefinition } from './measures.rules.ts';
import type { Measure } from './measures.types.ts';

const require = createRequire(import.meta.url);

/** 国发〔2016〕33号 (三)–(十三) and 中办发〔2016〕64号 二 (一)–(六), one entry per measure. */
export function shippedMeasures(): Measure[] {
  return (require('./data/measures.json') as { measures: Measure[] }).measures;
}

export function shippedMemoranda(measures: readonly Measure[]): MemorandumDefinition[] {
  const signatories = (codes: readonly Measure[]) => [...new Set(codes.flatMap((m) => m.implementers))];
  const debtor = measures.filter((m) => m.code.startsWith('JD-'));
  const incentives = measures.filter((m) => m.direction === 'incentive');
  return [
    {
      code: 'ZBF-2016-64-DEBTORS',
      name: '失信被执行人信用监督、警示和惩戒（中办发〔2016〕64号）',
      signedOn: '2016-09-14',
      signatories: signatories(debtor),
      basis: 'ZBF-2016-64',
      entries: debtor.map((m) => ({ listType: 'COURT-DISHONEST-DEBTOR', measure: m.code })),
    },
    {
      code: 'GF-2016-33-INCENTIVES',
      name: '守信联合激励（国发〔2016〕33号）',
      signedOn: '2016-05-30',
      signatories: signatories(incentives),
      basis: 'GF-2016-33',
      entries: incentives.map((m) => ({ listType: 'RED-INTEGRITY-MODEL', measure: m.code })),
    },
  ];
}

/** Demo mode only: the demo serious-dishonesty list takes the administrative and market measures of 国发〔2016〕33号. */
export function demoMemorandum(measures: readonly Measure[]): MemorandumDefinition {
  const punish = measures.filter((m) => /^JIP-[AM]/.test(m.code));
  return {
    code: 'DEMO-SCJG-SERIOUS-MEMO',
    name: '市场监管领域严重失信主体联合惩戒合作备忘录（演示）',
    signedOn: '2026-03-01',
    signatories: [
      '福州市市场监督管理局（演示）',
      '福州市发展和改革委员会（演示）',
      '鼓楼区住房和城乡建设局（演示）',
    ],
    basis: 'GF-2016-33',
    entries: punish.map((m) => ({ listType: 'DEMO-SCJG-SERIOUS', measure: m.code })),
  };
}

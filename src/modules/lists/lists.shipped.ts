/**
 * The list types the platform ships: the national lists whose bases the seeds give. A
 * serious-dishonesty list type needs its standard's public-comment record, which only the
 * credit centre that adopts it can supply: none is shipped (demo mode makes one, marked as such).
 */
import type { ListTypeDefinition } from './lists.types.ts';

const NONE = { conditions: '', procedure: '' };

export function shippedListTypes(): ListTypeDefinition[] {
  return [
    {
      code: 'RED-INTEGRITY-MODEL',
      nameZh: '诚信典型“红名单”',
      kind: 'red',
      domain: 'credit',
      categories: [],
      legalBases: [{ basis: 'GF-2016-33', of: 'list', article: '（三）（十九）' }],
      designation: { minLevel: 'county' },
      removal: {
        conditions: '发现失信行为，或不再符合认定条件',
        procedure: '认定部门核实后移出并公示',
      },
      remedies: '对认定结果有异议的，可在公示期内提出',
      validityMonths: 36,
      objectionDays: 7,
      announcementDays: 7,
    },
    {
      code: 'WATCH-KEY-ATTENTION',
      nameZh: '重点关注对象名单',
      kind: 'watch',
      domain: 'market_supervision',
      categories: [],
      legalBases: [{ basis: 'GBF-2019-35', of: 'list' }],
      designation: { minLevel: 'county' },
      removal: { conditions: '整改到位，监管期满', procedure: '认定部门核实后移出' },
      remedies: '',
      validityMonths: 12,
      objectionDays: 0,
    },
    {
      code: 'COURT-DISHONEST-DEBTOR',
      nameZh: '失信被执行人名单',
      kind: 'dishonest_debtor',
      domain: 'judicial',
      categories: ['legal_duty'],
      legalBases: [
        { basis: 'PRC-CIVIL-PROCEDURE-LAW', of: 'list' },
        { basis: 'SPC-DISHONEST-DEBTORS', of: 'standard' },
        { basis: 'ZBF-2016-64', of: 'list' },
      ],
      designation: { minLevel: 'county' },
      removal: {
        conditions: '履行完毕生效法律文书确定的义务，或依法应当删除的其他情形',
        procedure: '由作出决定的人民法院删除失信信息',
      },
      remedies: '向执行法院申请纠正；对决定不服的，向上一级人民法院申请复议',
      validityMonths: null,
      objectionDays: 0,
    },
    {
      code: 'ABNORMAL-OPERATION',
      nameZh: '经营异常名录',
      kind: 'abnormal_operation',
      domain: 'market_supervision',
      categories: [],
      legalBases: [{ basis: 'ENTERPRISE-INFO-DISCLOSURE-REG', of: 'list' }],
      designation: { minLevel: 'county' },
      removal: { ...NONE, conditions: '履行公示义务后申请移出' },
      remedies: '行政复议或者行政诉讼',
      validityMonths: null,
      objectionDays: 0,
    },
  ];
}

/** Demo mode only: a serious-dishonesty list type for the demo market regulator, marked as a demonstration. */
export function demoSeriousListType(): ListTypeDefinition {
  return {
    code: 'DEMO-SCJG-SERIOUS',
    nameZh: '市场监督管理严重违法失信名单（演示）',
    kind: 'serious_dishonesty',
    domain: 'market_supervision',
    categories: ['health_safety', 'fair_competition'],
    legalBases: [
      { basis: 'GBF-2020-49', of: 'list', article: '（六）' },
      { basis: 'SAMR-SERIOUS-DISHONESTY-LIST', of: 'standard' },
    ],
    standardComment: { from: '2026-01-05', to: '2026-02-09', where: '演示：认定标准征求意见记录' },
    designation: { minLevel: 'county' },
    removal: {
      conditions: '演示：列入满一年，已履行行政处罚决定且未再发生严重违法失信行为的，可申请提前移出',
      procedure: '演示：当事人向认定部门申请，认定部门自受理之日起15个工作日内核实决定',
    },
    remedies: '演示：对列入决定不服的，可依法申请行政复议或者提起行政诉讼',
    validityMonths: 36,
    objectionDays: 5,
  };
}

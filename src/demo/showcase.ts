/**
 * The demonstration's cast: a handful of subjects that together show every feature on the first
 * start. The demo company account (company.user) finds its own file with records in it; a court
 * sends its list of dishonest judgment debtors; a serious-dishonesty case is walked to "listed"
 * through prior notice and an objection window, on a list-service clock dated back so that the
 * window has passed; a red-list entry is announced and confirmed; and one documented pair of
 * namesakes (two companies of one name) leaves a row that names only the name in the review queue.
 * Everything goes through the ordinary services, as each department's own system.
 */
import type { Container } from '../container.ts';
import { orgCodeCheckChar, usccCheckChar } from '../modules/identifiers/index.ts';
import { demoSeriousListType, ListService } from '../modules/lists/index.ts';
import type { Actor } from '../modules/auth/index.ts';
import { createDataProtector, t } from '../platform/index.ts';

function uscc(prefix8: string, body8: string): string {
  const first17 = prefix8 + body8 + (orgCodeCheckChar(body8) ?? '0');
  return first17 + (usccCheckChar(first17) ?? '0');
}

/** The subjects of the showcase; their names appear nowhere else in the demo population. */
export const SHOWCASE = {
  /** company.user's company (GB 32100's example code). */
  featured: { name: '福州示例科技有限公司', code: '91350100M000100Y43' },
  listed: { name: '福州示例食品有限公司', code: uscc('91350102', 'MA8DEM01') },
  red: { name: '福州示例诚信建设有限公司', code: uscc('91350102', 'MA8DEM02') },
  debtor: { name: '福州示例欠款贸易有限公司', code: uscc('91350103', 'MA8DEM03') },
  /** The one pair of namesakes: one name, two companies in two districts. */
  namesakes: {
    name: '福州同名示例贸易有限公司',
    codes: [uscc('91350102', 'MA8DEM04'), uscc('91350104', 'MA8DEM05')],
  },
} as const;

const SCJG = { name: '福州市市场监督管理局（演示）', code: '1135010000366411XP' };
const COURT = { name: '福州市中级人民法院（演示）', code: '113501000036641528' };

async function system(c: Container, department: string, role: 'data_clerk' | 'reviewer'): Promise<Actor> {
  const actor = await c.auth.departmentSystem(department, role, 'demo-data');
  if (actor === undefined) {
    throw new Error(`the demo department ${department} is missing`);
  }
  return actor;
}

function registration(name: string, code: string, established: string): Record<string, string> {
  return {
    主体名称: name,
    统一社会信用代码: code,
    市场主体类型: '有限责任公司',
    法定代表人: '林示例',
    成立日期: established,
    登记机关: SCJG.name,
    登记状态: '存续',
    住所: '福州市鼓楼区示例路1号',
    数据来源单位: SCJG.name,
    数据来源单位统一社会信用代码: SCJG.code,
  };
}

function penalty(fields: Record<string, string>): Record<string, string> {
  return {
    行政相对人类别: '法人及非法人组织',
    违法行为类型: '虚假宣传',
    违法事实: '在经营场所发布虚假广告（演示）',
    处罚依据: '《中华人民共和国广告法》第五十五条',
    处罚类别: '罚款',
    处罚内容: '罚款人民币二万元',
    '罚款金额（万元）': '2',
    处罚机关: SCJG.name,
    处罚机关统一社会信用代码: SCJG.code,
    数据来源单位: SCJG.name,
    数据来源单位统一社会信用代码: SCJG.code,
    ...fields,
  };
}

/**
 * Loads the showcase; `today` is the first start's date. Returns a line for each thing it shows, in
 * the platform's language.
 */
export async function loadShowcase(c: Container, today: string): Promise<string[]> {
  const clerk = await system(c, 'FZ-SCJG', 'data_clerk');
  const calendar = c.calendar.current();
  const weeksAgo = calendar.addWorkingDays(today, -15).value;
  const s = SHOWCASE;
  const [a, b] = s.namesakes.codes;

  await c.ingest.ingestRecords(clerk, {
    department: 'FZ-SCJG',
    item: 'registration',
    records: [
      registration(s.featured.name, s.featured.code, '2015-06-18'),
      registration(s.listed.name, s.listed.code, '2012-03-09'),
      registration(s.red.name, s.red.code, '2008-11-20'),
      registration(s.debtor.name, s.debtor.code, '2017-08-02'),
      registration(s.namesakes.name, a, '2016-04-12'),
      { ...registration(s.namesakes.name, b, '2019-10-28'), 住所: '福州市仓山区示例路8号' },
    ],
  });
  await c.ingest.ingestRecords(clerk, {
    department: 'FZ-SCJG',
    item: 'admin_licensing',
    records: [
      {
        行政相对人名称: s.featured.name,
        行政相对人类别: '法人及非法人组织',
        统一社会信用代码: s.featured.code,
        行政许可决定文书名称: '食品经营许可决定书',
        行政许可决定文书号: '榕市监许〔2025〕示例1号',
        许可类别: '普通',
        许可证书名称: '食品经营许可证',
        许可编号: 'JY13501000000001',
        许可内容: '预包装食品销售',
        许可决定日期: '2025-03-18',
        有效期自: '2025-03-18',
        有效期至: '2030-03-17',
        许可机关: SCJG.name,
        许可机关统一社会信用代码: SCJG.code,
        数据来源单位: SCJG.name,
        数据来源单位统一社会信用代码: SCJG.code,
      },
    ],
  });
  await c.ingest.ingestRecords(clerk, {
    department: 'FZ-SCJG',
    item: 'admin_penalty',
    records: [
      penalty({
        行政相对人名称: s.featured.name,
        统一社会信用代码: s.featured.code,
        行政处罚决定书文号: '榕市监处〔2026〕示例1号',
        处罚决定日期: calendar.addWorkingDays(today, -40).value,
      }),
      penalty({
        行政相对人名称: s.listed.name,
        统一社会信用代码: s.listed.code,
        行政处罚决定书文号: '榕市监处〔2026〕示例2号',
        违法行为类型: '生产经营不符合食品安全标准的食品',
        违法事实: '生产销售不符合食品安全标准的食品，造成严重后果（演示）',
        处罚依据: '《中华人民共和国食品安全法》第一百二十四条',
        处罚内容: '罚款人民币五十万元，吊销食品生产许可证',
        处罚类别: '罚款,吊销许可证件',
        '罚款金额（万元）': '50',
        处罚决定日期: calendar.addWorkingDays(today, -30).value,
      }),
      // Only the name, which two companies bear: the department decides whom it means.
      penalty({
        行政相对人名称: s.namesakes.name,
        行政处罚决定书文号: '榕市监处〔2026〕示例3号',
        处罚决定日期: calendar.addWorkingDays(today, -20).value,
      }),
    ],
  });

  const court = await system(c, 'FZ-FY', 'data_clerk');
  await c.ingest.ingestRecords(court, {
    department: 'FZ-FY',
    item: 'dishonest_judgment_debtor',
    records: [
      {
        '失信被执行人姓名/名称': s.debtor.name,
        统一社会信用代码: s.debtor.code,
        法定代表人或者负责人姓名: '陈示例',
        执行法院: COURT.name,
        案号: '（2026）闽01执示例1号',
        执行依据文号: '（2025）闽01民初示例1号',
        生效法律文书确定的义务: '支付货款人民币三十万元及利息（演示）',
        被执行人的履行情况: '全部未履行',
        失信被执行人行为具体情形: '有履行能力而拒不履行生效法律文书确定义务',
        立案日期: calendar.addWorkingDays(today, -60).value,
        发布日期: calendar.addWorkingDays(today, -10).value,
        数据来源单位: COURT.name,
        数据来源单位统一社会信用代码: COURT.code,
      },
    ],
  });

  // Due process on a clock dated back: the notice went out three weeks ago, the window has passed.
  let clock = weeksAgo;
  const lists = new ListService(
    c.database.db,
    c.audit,
    c.catalog,
    createDataProtector(c.config.dataKeyFile),
    () => c.calendar.current(),
    {
      today: () => clock,
      measuresOf: async (listType) => (await c.measures.attached([listType])).map((m) => m.measure),
    },
  );
  const reviewer = await system(c, 'FZ-SCJG', 'reviewer');
  const serious = await lists.propose(reviewer, {
    listType: demoSeriousListType().code,
    subjectCode: s.listed.code,
    facts: {
      reasons: '生产销售不符合食品安全标准的食品，造成严重后果（演示）',
      basis: '《市场监督管理严重违法失信名单管理办法》第九条',
      actDate: calendar.addWorkingDays(today, -30).value,
      category: 'health_safety',
    },
  });
  await lists.step(reviewer, serious.case.id, {
    step: 'notify',
    documentNumber: '榕市监信告〔2026〕示例1号',
  });
  const fgw = await system(c, 'FZ-FGW', 'reviewer');
  const red = await lists.propose(fgw, {
    listType: 'RED-INTEGRITY-MODEL',
    subjectCode: s.red.code,
    facts: {
      reasons: '连续五年依法纳税、守合同重信用（演示）',
      basis: '《福州市诚信典型选树办法》（演示）',
      actDate: weeksAgo,
    },
  });
  await lists.step(fgw, red.case.id, { step: 'announce', documentNumber: '榕发改信公〔2026〕示例1号' });
  clock = today;
  await lists.step(reviewer, serious.case.id, {
    step: 'decide',
    documentNumber: '榕市监信决〔2026〕示例1号',
  });
  await lists.step(fgw, red.case.id, { step: 'confirm', documentNumber: '榕发改信〔2026〕示例1号' });

  const { locale } = c.config;
  return [
    t(locale, 'demo.showcase.featured', { name: s.featured.name, code: s.featured.code }),
    `  ${t(locale, 'demo.showcase.listed', { name: s.listed.name, code: s.listed.code, notified: weeksAgo, listed: today, case: serious.case.id })}`,
    `  ${t(locale, 'demo.showcase.red_and_court', { name: s.red.name, code: s.red.code, case: red.case.id, debtor: s.debtor.name, debtorCode: s.debtor.code })}`,
    `  ${t(locale, 'demo.showcase.namesakes', { name: s.namesakes.name, first: a, second: b })}`,
  ];
}

/**
 * A report as a reader reads it, whatever the format: a title, the lines that identify it, and
 * headed tables — built once from the signed content, then written as HTML or typeset as PDF, so
 * both say the same (and nothing the content does not).
 */
import type { FileField, FileRecord } from '../disclosure/index.ts';
import { domainName } from './reports.content.ts';
import type { ReportContent, SpecialMark } from './reports.types.ts';

/** Ideographic spaces, as Chinese documents space their fields. */
const GAP = '\u3000';
const GAP2 = GAP + GAP;

export interface Column {
  title: string;
  /** Share of the table's width. */
  weight: number;
  align?: 'left' | 'right' | 'center';
}

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'lines'; lines: string[] }
  | { kind: 'table'; columns: Column[]; rows: string[][]; empty: string };

export interface ReportView {
  title: string;
  number: string;
  code: string;
  url: string;
  blocks: Block[];
}

const TITLES: Record<ReportContent['type'], string> = {
  public: '公共信用信息报告（社会公众版）',
  matter: '公共信用信息报告（部门查询版）',
  self: '公共信用信息报告（主体自查版）',
  special: '专项信用报告（替代有无违法违规记录证明）',
};

const AUDIENCES: Record<string, string> = {
  public: '社会公众',
  department: '政府部门',
  subject: '主体本人',
  institution: '授权机构',
  auditor: '审计',
};

const CATEGORY_NAMES: Record<string, string> = {
  registration: '登记注册基本信息',
  administrative_licensing: '行政许可信息',
  administrative_penalty: '行政处罚信息',
  administrative_compulsion: '行政强制信息',
  judicial: '司法信息',
  serious_dishonesty_list: '严重失信主体名单',
  red_list: '守信激励名单',
  watch_list: '重点关注名单',
  commitment: '信用承诺信息',
  other: '其他信息',
};

const SECTION_NAMES: Record<string, string> = {
  administrative_penalty: '行政处罚（含简易程序）',
  administrative_compulsion: '行政强制',
  serious_dishonesty: '严重失信主体名单',
  criminal_judgment: '刑事判决',
};

const MARK_NAMES: Record<SpecialMark | FileRecord['marks'][number], string> = {
  minor: '轻微失信',
  display_ended: '已过公示期',
  repaired: '已修复',
  under_objection: '异议处理中',
  corrected: '已更正',
  not_public: '不予公示',
};

const MATTER_NAMES: Record<string, string> = {
  government_procurement: '政府采购',
  bidding: '招标投标',
  subsidy: '财政资金补贴',
  licensing: '行政许可',
  hiring: '招录聘用',
  honours: '表彰评优',
  financing: '融资信贷',
  supervision: '日常监管',
  enforcement: '执法检查',
};

const CODE_NAMES: Record<string, string> = {
  uscc: '统一社会信用代码',
  org_code: '组织机构代码',
  reg_no: '注册号',
  citizen_id: '公民身份号码',
  citizen_id15: '公民身份号码（15 位）',
};

const STATUS_NAMES: Record<string, string> = {
  found: '发现记录',
  none_found: '未发现',
  not_held: '本平台未归集',
};

const KIND_NAMES: Record<string, string> = {
  legal_person: '法人',
  other_org: '非法人组织',
  individual_business: '个体工商户',
  natural_person: '自然人',
  government_body: '机关',
};

/** Fields a row's summary leaves out: they are columns of their own, or the subject itself. */
const NOT_SUMMARY = new Set([
  'subject_name',
  'subject_category',
  'uscc',
  'decision_no',
  'decision_date',
  'data_source',
  'data_source_uscc',
  'authority_uscc',
]);

/** `2026-12-02T09:30:00.000Z` in Beijing time: 2026-12-02 17:30:00. */
export function beijingTime(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3_600_000);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)}`;
}

function summary(fields: FileField[]): string {
  const text = fields
    .filter((f) => !NOT_SUMMARY.has(f.key) && f.value !== null && f.value !== '')
    .map((f) => `${f.name}：${f.value ?? ''}`)
    .join('；');
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

function documentNo(r: FileRecord): string {
  return r.provenance.document.number ?? r.fields.find((f) => f.key === 'decision_no')?.value ?? '';
}

function marksText(r: FileRecord, extra: readonly SpecialMark[] = []): string {
  const marks = [...new Set([...r.marks, ...extra])].map((m) => MARK_NAMES[m]);
  const hidden = r.disclosure.public;
  if (hidden !== undefined && !hidden.shown && !extra.includes('not_public')) {
    marks.push(`不予公示：${hidden.reason.message}`);
  }
  return marks.join('；');
}

const RECORD_COLUMNS: Column[] = [
  { title: '序号', weight: 5, align: 'right' },
  { title: '信息事项', weight: 10 },
  { title: '决定文书号', weight: 14 },
  { title: '决定日期', weight: 11 },
  { title: '认定部门', weight: 13 },
  { title: '主要内容', weight: 25 },
  { title: '公示截止', weight: 11 },
  { title: '标注与说明', weight: 11 },
];

function recordRows(records: FileRecord[], marks?: (r: FileRecord) => readonly SpecialMark[]): string[][] {
  return records.map((r, i) => [
    String(i + 1),
    r.item.name,
    documentNo(r),
    r.decisionDate ?? '',
    r.provenance.department.name,
    summary(r.fields),
    r.display.until ?? '长期',
    marksText(r, marks?.(r)),
  ]);
}

export function reportView(content: ReportContent): ReportView {
  const c = content;
  const blocks: Block[] = [];
  const audience = [`报告对象：${AUDIENCES[c.audience.kind] ?? c.audience.kind}`];
  if (c.audience.department !== undefined) {
    audience.push(`查询部门：${c.audience.department.name}`, `查询用途：${c.audience.purpose ?? ''}`);
    if (c.audience.matter !== undefined) {
      audience.push(`行政事项：${MATTER_NAMES[c.audience.matter] ?? c.audience.matter}`);
    }
  }
  blocks.push({
    kind: 'lines',
    lines: [
      `报告编号：${c.number}${GAP2}验证码：${c.verification.code}`,
      `出具机构：${c.issuer.name}${GAP2}出具时间：${beijingTime(c.issuedAt)}（北京时间）${GAP2}信息截止：${c.asOf}`,
      audience.join(GAP2),
    ],
  });
  blocks.push({ kind: 'heading', text: '一、主体基本信息' });
  blocks.push({
    kind: 'table',
    columns: [
      { title: '项目', weight: 20 },
      { title: '内容', weight: 80 },
    ],
    rows: [
      ['名称', c.subject.name],
      ['主体类型', KIND_NAMES[c.subject.kind] ?? c.subject.kind],
      ['所在地区', c.subject.division?.name ?? c.subject.division?.code ?? ''],
      ...c.subject.codes.map((x) => [CODE_NAMES[x.kind] ?? x.kind, x.value]),
      ...c.subject.formerNames.map((n) => ['曾用名', `${n.name}（${n.replacedOn} 前）`]),
    ],
    empty: '',
  });
  let n = 2;
  const numeral = () => '一二三四五六七八九十'[n++ - 1] ?? String(n);
  if (c.special !== undefined) {
    blocks.push({
      kind: 'heading',
      text: `${numeral()}、专项核查结果（${c.special.window.from} 至 ${c.special.window.to}）`,
    });
    for (const d of c.special.domains) {
      blocks.push({ kind: 'heading', text: `领域：${domainName(d.domain)}` });
      blocks.push({
        kind: 'table',
        columns: [
          { title: '核查类别', weight: 22 },
          { title: '结论', weight: 14 },
          { title: '说明', weight: 64 },
        ],
        rows: d.findings.map((f) => [
          SECTION_NAMES[f.section] ?? f.section,
          STATUS_NAMES[f.status] ?? f.status,
          f.statement,
        ]),
        empty: '',
      });
      const found = d.findings.flatMap((f) => f.records);
      if (found.length > 0) {
        const marks = new Map(found.map((x) => [x.record.id, x.marks]));
        blocks.push({
          kind: 'table',
          columns: RECORD_COLUMNS,
          rows: recordRows(
            found.map((x) => x.record),
            (r) => marks.get(r.id) ?? [],
          ),
          empty: '',
        });
      }
      blocks.push({
        kind: 'lines',
        lines: [
          `信息来源：${d.departments.map((x) => `${x.name}（最近报送 ${x.lastBatchAt === null ? '无' : beijingTime(x.lastBatchAt)}）`).join('；') || '无'}`,
        ],
      });
    }
  } else {
    blocks.push({ kind: 'heading', text: `${numeral()}、信用记录` });
    if (c.records.length === 0) {
      blocks.push({ kind: 'lines', lines: ['无'] });
    }
    for (const cat of c.records) {
      blocks.push({ kind: 'heading', text: CATEGORY_NAMES[cat.category] ?? cat.category });
      blocks.push({ kind: 'table', columns: RECORD_COLUMNS, rows: recordRows(cat.records), empty: '无' });
    }
    blocks.push({ kind: 'heading', text: `${numeral()}、名单信息` });
    blocks.push({ kind: 'table', columns: RECORD_COLUMNS, rows: recordRows(c.lists), empty: '无' });
    blocks.push({ kind: 'heading', text: `${numeral()}、信用承诺` });
    blocks.push({ kind: 'table', columns: RECORD_COLUMNS, rows: recordRows(c.commitments), empty: '无' });
  }
  blocks.push({ kind: 'heading', text: `${numeral()}、数据来源与时效` });
  blocks.push({
    kind: 'table',
    columns: [
      { title: '数据来源部门', weight: 60 },
      { title: '最近一次报送', weight: 40 },
    ],
    rows: c.freshness.map((f) => [
      f.department.name,
      f.lastBatchAt === null ? '无' : beijingTime(f.lastBatchAt),
    ]),
    empty: '无',
  });
  blocks.push({ kind: 'heading', text: `${numeral()}、适用规则与说明` });
  blocks.push({
    kind: 'lines',
    lines: [
      ...c.rules.map((r, i) => `${i + 1}. ${r.text}`),
      `${c.rules.length + 1}. 信用信息目录版本：${c.catalog.map((x) => `${x.code} 第 ${x.version ?? '—'} 版`).join('，')}`,
      `${c.rules.length + 2}. 本报告内容以平台密钥签名；报告数据（credit-report.json）附于本文件。核验地址：${c.verification.url}`,
    ],
  });
  return {
    title: TITLES[c.type],
    number: c.number,
    code: c.verification.code,
    url: c.verification.url,
    blocks,
  };
}

/** Every string a view draws: what the fonts must cover. */
export function viewStrings(view: ReportView): string[] {
  const out = [view.title, view.number, view.code, view.url];
  for (const b of view.blocks) {
    if (b.kind === 'heading') {
      out.push(b.text);
    } else if (b.kind === 'lines') {
      out.push(...b.lines);
    } else {
      out.push(b.empty, ...b.columns.map((c) => c.title), ...b.rows.flat());
    }
  }
  return out;
}

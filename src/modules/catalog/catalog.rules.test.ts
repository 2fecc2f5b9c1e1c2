import { describe, expect, it } from 'vitest';
import { render } from '../../platform/i18n/index.ts';
import { checkCatalog } from './catalog.rules.ts';
import { CatalogFileSchema, type CatalogFile } from './catalog.schema.ts';
import { shippedBaseCatalog } from './catalog.service.ts';

/** The shipped catalog, parsed; each test breaks a copy of it. */
function shipped(): CatalogFile {
  return CatalogFileSchema.parse(structuredClone(shippedBaseCatalog()));
}

function itemOf(file: CatalogFile, code: string) {
  const item = file.items.find((i) => i.code === code);
  if (item === undefined) {
    throw new Error(`no item ${code}`);
  }
  return item;
}

function rulesBroken(file: CatalogFile): string[] {
  return checkCatalog(file, new Map()).violations.map((v) => v.rule);
}

describe('catalog rules', () => {
  it('accepts the shipped national base catalog', () => {
    const { items, violations } = checkCatalog(shipped(), new Map());
    expect(violations).toEqual([]);
    expect(items.map((i) => i.code).sort()).toEqual([
      'abnormal_operation',
      'admin_compulsion',
      'admin_licensing',
      'admin_penalty',
      'breached_commitment',
      'credit_commitment',
      'dishonest_judgment_debtor',
      'red_list',
      'registration',
      'registration_person_role',
      'serious_dishonesty_list',
      'watch_list',
    ]);
  });

  it('names the double-publicity columns departments send', () => {
    const { items } = checkCatalog(shipped(), new Map());
    const names = (code: string) => new Set(items.find((i) => i.code === code)?.fields.map((f) => f.nameZh));
    const common = ['行政相对人名称', '行政相对人类别', '统一社会信用代码', '工商注册号', '组织机构代码', '税务登记号',
      '事业单位证书号', '社会组织登记证号', '法定代表人', '法定代表人证件类型', '法定代表人证件号码', '证件类型', '证件号码',
      '数据来源单位', '数据来源单位统一社会信用代码', '备注']; // prettier-ignore
    const penalty = ['行政处罚决定书文号', '违法行为类型', '违法事实', '处罚依据', '处罚类别', '处罚内容', '罚款金额（万元）',
      '没收违法所得、没收非法财物的金额（万元）', '暂扣或吊销证照名称及编号', '处罚决定日期', '处罚有效期', '公示截止期', '处罚机关',
      '处罚机关统一社会信用代码']; // prettier-ignore
    const licensing = ['行政许可决定文书名称', '行政许可决定文书号', '许可类别', '许可证书名称', '许可编号', '许可内容',
      '许可决定日期', '有效期自', '有效期至', '许可机关', '许可机关统一社会信用代码']; // prettier-ignore
    expect([...common, ...penalty].filter((n) => !names('admin_penalty').has(n))).toEqual([]);
    expect([...common, ...licensing].filter((n) => !names('admin_licensing').has(n))).toEqual([]);
  });

  it('refuses an item recorded on a departmental rule alone (D49 一)', () => {
    const file = shipped();
    itemOf(file, 'admin_penalty').legalBases = [
      { basis: 'NDRC-CREDIT-REPAIR', uses: ['record', 'disclose', 'share', 'display'] },
    ];
    const { violations } = checkCatalog(file, new Map());
    expect(violations.find((v) => v.rule === 'D49.1.record_basis')).toMatchObject({
      field: 'items.3.legalBases',
      value: 'NDRC-CREDIT-REPAIR (departmental_rule)',
    });
  });

  it('lets a local supplementary catalog rest on a local regulation, and only a local one', () => {
    const file = shipped();
    file.legalBases.push({
      code: 'LOCAL-REG',
      title: '某省社会信用条例',
      issuer: '某省人民代表大会常务委员会',
      rank: 'local_regulation',
    });
    const item = itemOf(file, 'credit_commitment');
    item.legalBases = [{ basis: 'LOCAL-REG', uses: ['record', 'share', 'disclose'] }];
    expect(rulesBroken(file)).toEqual(['D49.1.record_basis']);
    file.catalog.kind = 'local_supplementary';
    expect(rulesBroken(file)).toEqual([]);
  });

  it('refuses to disclose personal information on a basis below a regulation (D49 四)', () => {
    const file = shipped();
    const item = itemOf(file, 'dishonest_judgment_debtor');
    item.legalBases = item.legalBases.map((b) =>
      b.basis === 'ZBF-2016-64' ? { ...b, uses: [...b.uses, 'disclose_personal'] } : b,
    );
    const violation = checkCatalog(file, new Map()).violations[0];
    expect(violation).toMatchObject({ rule: 'D49.4.personal_disclosure_basis', value: 'ZBF-2016-64' });
    expect(violation && render('en', violation.message)).toMatch(/^ZBF-2016-64 is a central_policy/);
    expect(violation && render('zh-CN', violation.message)).toBe(
      'ZBF-2016-64 的效力层级为 central_policy：公开个人信息须以法律、法规或者国务院决定、命令为依据（国办发〔2020〕49号（四））',
    );
  });

  it('requires a masking rule on every personal field', () => {
    const file = shipped();
    const field = file.fieldSets.subject?.find((f) => f.key === 'id_no');
    delete field?.masking;
    expect(new Set(rulesBroken(file))).toEqual(new Set(['D49.4.masking']));
  });

  it('requires a legally effective document for dishonesty information (D49 二)', () => {
    const file = shipped();
    const item = itemOf(file, 'breached_commitment');
    item.fields = item.fields.map((f) =>
      typeof f !== 'string' && f.key === 'decision_no' ? { ...f, required: false } : f,
    );
    expect(rulesBroken(file)).toEqual(['D49.2.document']);
  });

  it('keeps display periods within the national maxima, and ending by themselves', () => {
    const file = shipped();
    const tiers = itemOf(file, 'admin_penalty').display.tiers;
    if (tiers === undefined) {
      throw new Error('penalty has tiers');
    }
    tiers.serious.longestMonths = 48;
    tiers.general.longestMonths = null;
    const violations = checkCatalog(file, new Map()).violations;
    expect(violations.map((v) => [v.rule, v.field, v.value])).toEqual([
      ['repair-measures.longest_display', 'items.3.display.tiers.general.longestMonths', null],
      ['repair-measures.longest_display', 'items.3.display.tiers.serious.longestMonths', 48],
    ]);
  });

  it('keeps the watch list undisclosed and out of punishment (D35)', () => {
    const file = shipped();
    itemOf(file, 'watch_list').disclosure = 'public';
    expect(rulesBroken(file)).toContain('D35.watch_list');
  });

  it('refuses an unrepairable item unless a law says so (D49 十一)', () => {
    const file = shipped();
    itemOf(file, 'admin_penalty').repair = { repairable: false, outcome: null };
    expect(rulesBroken(file)).toEqual(['D49.11.unrepairable_basis']);
    itemOf(file, 'admin_penalty').legalBases.push({ basis: 'PRC-ADMIN-PENALTY-LAW', uses: ['unrepairable'] });
    expect(rulesBroken(file)).toEqual([]);
  });

  it('refuses unknown legal bases and field sets', () => {
    const file = shipped();
    itemOf(file, 'red_list').legalBases.push({ basis: 'NO-SUCH-LAW', uses: ['record'] });
    itemOf(file, 'admin_penalty').fields.push('@nothing');
    expect(rulesBroken(file).sort()).toEqual(['catalog.basis_unknown', 'catalog.field_set_unknown']);
  });

  it('refuses a field schema that does not parse, naming the place', () => {
    const raw = structuredClone(shippedBaseCatalog()) as {
      items: Array<{ fields: Array<Record<string, unknown> | string> }>;
    };
    const field = raw.items[0]?.fields[1];
    if (typeof field === 'object') {
      field.type = 'money';
    }
    const parsed = CatalogFileSchema.safeParse(raw);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path.join('.')).toMatch(/^items\.0\.fields\.1/);
  });
});

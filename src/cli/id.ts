import { presentValidation, validate, type IdentifierValidation } from '../modules/identifiers/index.ts';

const KIND_NAMES: Record<IdentifierValidation['kind'], string> = {
  uscc: '统一社会信用代码 unified social credit code',
  org_code: '组织机构代码 organisation code',
  reg_no15: '工商注册号 business registration number',
  taxpayer_id15: '税务登记号 taxpayer ID',
  institution_cert12: '事业单位法人证书号 public-institution certificate number',
  citizen_id: '居民身份证号码 citizen ID number',
  citizen_id15: '居民身份证号码（15位）legacy citizen ID number',
  unknown: 'not a known kind of code',
};

const MARK = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;

export function formatValidation(v: IdentifierValidation): string {
  const lines = [
    `${v.normalized || JSON.stringify(v.input)}  ${v.valid ? 'valid' : 'INVALID'}  ${v.kind} — ${KIND_NAMES[v.kind]}`,
  ];
  for (const change of v.changes) {
    lines.push(`  changed  ${change.message}`);
  }
  for (const check of v.checks) {
    lines.push(`  ${MARK[check.result]}     ${check.name}: ${check.message}`);
  }
  const parts = Object.entries(v.parts).filter(([, value]) => value !== null);
  if (parts.length > 0) {
    lines.push(`  parts    ${parts.map(([k, value]) => `${k}=${value}`).join('  ')}`);
  }
  for (const alt of v.alternatives) {
    lines.push(`  also valid as ${alt.kind} — ${KIND_NAMES[alt.kind]}`);
  }
  return lines.join('\n');
}

/** `xinyong id`: exit code 0 when every value is valid, 1 otherwise. */
export function idCommand(values: string[], json: boolean, out: (line: string) => void): number {
  const results = values.map((value) => presentValidation(validate(value)));
  if (json) {
    out(JSON.stringify(results.length === 1 ? results[0] : { results }, null, 2));
  } else {
    out(results.map(formatValidation).join('\n\n'));
  }
  return results.every((r) => r.valid) ? 0 : 1;
}

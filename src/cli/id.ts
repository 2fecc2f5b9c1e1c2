import { presentValidation, validate, type PresentedValidation } from '../modules/identifiers/index.ts';
import { cliLocaleNow } from './io.ts';
import { tr } from './say.ts';
import { padColumns } from './width.ts';

const kindName = (kind: PresentedValidation['kind']) => tr(`cli.id.kind.${kind}`);

const MARK = { ok: 'cli.id.ok', warn: 'cli.id.warn', fail: 'cli.id.fail' } as const;

/** A line's label (changed, ok, WARN, parts…) and its text, the texts lined up after the labels. */
const labelled = (label: string, text: string) => `  ${padColumns(label, 9)}${text}`;

export function formatValidation(v: PresentedValidation): string {
  const lines = [
    `${v.normalized || JSON.stringify(v.input)}  ${tr(v.valid ? 'cli.id.valid' : 'cli.id.invalid')}  ${v.kind} — ${kindName(v.kind)}`,
  ];
  for (const change of v.changes) {
    lines.push(labelled(tr('cli.id.changed'), change.message));
  }
  for (const check of v.checks) {
    lines.push(labelled(tr(MARK[check.result]), `${check.name}: ${check.message}`));
  }
  const parts = Object.entries(v.parts).filter(([, value]) => value !== null);
  if (parts.length > 0) {
    lines.push(labelled(tr('cli.id.parts'), parts.map(([k, value]) => `${k}=${value}`).join('  ')));
  }
  for (const alt of v.alternatives) {
    lines.push(`  ${tr('cli.id.also_valid', { kind: alt.kind, name: kindName(alt.kind) })}`);
  }
  return lines.join('\n');
}

/** `xinyong id`: exit code 0 when every value is valid, 1 otherwise. */
export function idCommand(values: string[], json: boolean, out: (line: string) => void): number {
  const results = values.map((value) => presentValidation(validate(value), cliLocaleNow()));
  if (json) {
    out(JSON.stringify(results.length === 1 ? results[0] : { results }, null, 2));
  } else {
    out(results.map(formatValidation).join('\n\n'));
  }
  return results.every((r) => r.valid) ? 0 : 1;
}

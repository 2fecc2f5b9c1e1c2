/** `xinyong file` and `xinyong consent`: a subject's credit file as an audience sees it; consents. */
import type { CreditFile } from '../modules/disclosure/index.ts';
import { msg, type Config } from '../platform/index.ts';
import { cliLocaleNow } from './io.ts';
import { tr } from './say.ts';
import { withContainer } from './with-container.ts';

type Out = (line: string) => void;
const CLI = { kind: 'system', name: 'cli' } as const;

/** The file as lines a person reads: each record with what the audience sees and why. */
export function fileLines(file: CreditFile): string[] {
  const s = file.subject;
  const semicolon = tr('cli.separator.semicolon');
  const lines = [
    tr('cli.file.heading', {
      name: s.name,
      kind: s.kind,
      status: s.status,
      division:
        s.division === null ? '' : msg('cli.file.division', { division: s.division.name ?? s.division.code }),
      audience: file.audience,
      date: file.asOf,
    }),
    `  ${tr('cli.file.codes', { codes: file.codes.map((c) => `${c.kind} ${c.value}`).join(semicolon) || '—' })}`,
  ];
  for (const n of s.formerNames) {
    lines.push(`  ${tr('cli.file.former_name', { name: n.name, date: n.replacedOn })}`);
  }
  for (const r of file.roles) {
    const since = r.since === null ? '' : msg('cli.file.since', { date: r.since });
    lines.push(`  ${tr('cli.file.role', { role: r.role, name: r.name, since })}`);
  }
  for (const c of file.categories) {
    lines.push(tr('cli.file.category', { category: c.category }));
    for (const r of c.records) {
      const until =
        r.display.until === null
          ? ''
          : msg('cli.file.shown_until', {
              date: r.display.until,
              ended: r.display.ended ? msg('cli.file.ended') : '',
            });
      lines.push(
        `  ${tr('cli.file.record', {
          id: r.id,
          item: r.item.name,
          document: r.provenance.document.number ?? '',
          date: r.decisionDate ?? '—',
          tier: r.tier === null ? '' : msg('cli.file.tier', { tier: r.tier }),
          until,
          marks: r.marks.length === 0 ? '' : ` [${r.marks.join(', ')}]`,
        })}`,
      );
      const reasons = r.disclosure.reasons.map((x) => `${x.message} [${x.rule}]`).join(semicolon);
      lines.push(`    ${tr('cli.file.disclosure', { visibility: r.disclosure.visibility, reasons })}`);
      if (r.disclosure.public !== undefined) {
        const p = r.disclosure.public;
        lines.push(
          `    ${
            p.shown
              ? tr('cli.file.public_shown')
              : tr('cli.file.public_not_shown', { reason: p.reason.message, rule: p.reason.rule })
          }`,
        );
      }
    }
  }
  if (file.categories.length === 0) {
    lines.push(tr('cli.file.nothing'));
  }
  return lines;
}

export async function fileCommand(
  config: Config,
  code: string,
  opts: { as: 'public' | 'auditor'; json?: boolean },
  out: Out,
): Promise<void> {
  await withContainer(config, async (c) => {
    // The reasons for each record in the command's language.
    const file = await c.files.file(CLI, code, { as: opts.as, locale: cliLocaleNow() });
    if (opts.json === true) {
      out(JSON.stringify(file, null, 2));
      return;
    }
    for (const line of fileLines(file)) {
      out(line);
    }
  });
}

export async function consentGive(
  config: Config,
  code: string,
  opts: { item?: string; evidence: string },
  out: Out,
): Promise<void> {
  await withContainer(config, async (c) => {
    const made = await c.files.giveConsent(CLI, code, { item: opts.item ?? null, evidence: opts.evidence });
    out(tr('cli.consent.recorded', { id: made.id, item: made.item ?? msg('cli.consent.every_item') }));
  });
}

export async function consentWithdraw(config: Config, code: string, id: number, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    await c.files.withdrawConsent(CLI, code, id);
    out(tr('cli.consent.withdrawn', { id }));
  });
}

/** `xinyong file` and `xinyong consent`: a subject's credit file as an audience sees it; consents. */
import type { CreditFile } from '../modules/disclosure/index.ts';
import type { Config } from '../platform/index.ts';
import { withContainer } from './with-container.ts';

type Out = (line: string) => void;
const CLI = { kind: 'system', name: 'cli' } as const;

/** The file as lines a person reads: each record with what the audience sees and why. */
export function fileLines(file: CreditFile): string[] {
  const s = file.subject;
  const lines = [
    `${s.name} (${s.kind}, ${s.status}${s.division === null ? '' : `, ${s.division.name ?? s.division.code}`}) — as ${file.audience} sees it on ${file.asOf}`,
    `  codes: ${file.codes.map((c) => `${c.kind} ${c.value}`).join('; ') || '—'}`,
  ];
  for (const n of s.formerNames) {
    lines.push(`  former name: ${n.name} (until ${n.replacedOn})`);
  }
  for (const r of file.roles) {
    lines.push(`  ${r.role}: ${r.name}${r.since === null ? '' : ` since ${r.since}`}`);
  }
  for (const c of file.categories) {
    lines.push(`${c.category}:`);
    for (const r of c.records) {
      const marks = r.marks.length === 0 ? '' : ` [${r.marks.join(', ')}]`;
      const until =
        r.display.until === null
          ? ''
          : `, shown until ${r.display.until}${r.display.ended ? ' (ended)' : ''}`;
      lines.push(
        `  #${r.id} ${r.item.name} ${r.provenance.document.number ?? ''} decided ${r.decisionDate ?? '—'}${r.tier === null ? '' : ` (${r.tier})`}${until}${marks}`,
      );
      lines.push(
        `    ${r.disclosure.visibility}: ${r.disclosure.reasons.map((x) => `${x.message} [${x.rule}]`).join('; ')}`,
      );
      if (r.disclosure.public !== undefined) {
        const p = r.disclosure.public;
        lines.push(`    public: ${p.shown ? 'shown' : `not shown — ${p.reason.message} [${p.reason.rule}]`}`);
      }
    }
  }
  if (file.categories.length === 0) {
    lines.push('no records this audience may see');
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
    const file = await c.files.file(CLI, code, { as: opts.as });
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
    out(`consent ${made.id} recorded: ${made.item ?? 'every item'}; personal information disclosed masked`);
  });
}

export async function consentWithdraw(config: Config, code: string, id: number, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    await c.files.withdrawConsent(CLI, code, id);
    out(`consent ${id} withdrawn`);
  });
}

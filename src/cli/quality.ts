/** `xinyong quality`: data quality per department and month. */
import type { QualityQuery, QualityRow } from '../modules/ingest/index.ts';
import type { Config } from '../platform/index.ts';
import { withContainer } from './with-container.ts';
import { tr } from './say.ts';
import { displayWidth, padColumns } from './width.ts';

type Out = (line: string) => void;

const percent = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

export function qualityTable(rows: QualityRow[]): string[] {
  const header = [
    tr('cli.quality.department'),
    tr('cli.quality.month'),
    tr('cli.quality.rows'),
    tr('cli.quality.accepted'),
    tr('cli.quality.rejected'),
    tr('cli.quality.duplicates'),
    tr('cli.quality.review'),
    tr('cli.quality.error_rate'),
    tr('cli.quality.on_time'),
    tr('cli.quality.completeness'),
  ];
  const body = rows.map((r) => [
    r.department,
    r.month,
    String(r.rows),
    String(r.accepted),
    String(r.rejected),
    String(r.duplicates),
    String(r.review),
    percent(r.errorRate),
    r.timed === 0
      ? '—'
      : tr('cli.quality.late', { rate: percent(r.timelinessRate), late: r.late, timed: r.timed }),
    percent(r.completeness),
  ]);
  // Columns, not characters: a Chinese heading takes two columns a character.
  const widths = header.map((h, i) =>
    Math.max(displayWidth(h), ...body.map((b) => displayWidth(b[i] ?? ''))),
  );
  return [header, ...body].map((cells) =>
    cells
      .map((c, i) => padColumns(c, widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

export async function qualityCommand(
  config: Config,
  query: QualityQuery & { json?: boolean },
  out: Out,
): Promise<void> {
  await withContainer(config, async (c) => {
    const { json, ...filter } = query;
    const rows = await c.quality.report({ kind: 'system', name: 'cli' }, filter);
    if (json === true) {
      out(JSON.stringify(rows, null, 2));
      return;
    }
    if (rows.length === 0) {
      out(tr('cli.quality.none'));
      return;
    }
    for (const line of qualityTable(rows)) {
      out(line);
    }
    out(tr('cli.quality.on_time_note'));
  });
}

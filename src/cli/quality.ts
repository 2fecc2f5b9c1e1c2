/** `xinyong quality`: data quality per department and month. */
import type { QualityQuery, QualityRow } from '../modules/ingest/index.ts';
import type { Config } from '../platform/index.ts';
import { withContainer } from './with-container.ts';

type Out = (line: string) => void;

const percent = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

export function qualityTable(rows: QualityRow[]): string[] {
  const header = [
    'department',
    'month',
    'rows',
    'accepted',
    'rejected',
    'duplicates',
    'review',
    'error rate',
    'on time',
    'completeness',
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
    r.timed === 0 ? '—' : `${percent(r.timelinessRate)} (${r.late} late of ${r.timed})`,
    percent(r.completeness),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  return [header, ...body].map((cells) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
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
      out('no committed batches in that period');
      return;
    }
    for (const line of qualityTable(rows)) {
      out(line);
    }
    out('on time: licensing and penalty decisions received within 7 working days of the decision');
  });
}

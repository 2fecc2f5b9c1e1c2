/**
 * `xinyong inspect seed|draw`: graded inspection sampling (双随机、一公开) at the command line. A
 * department announces a seed; a plan file (JSON, as POST /api/inspections/draws takes it) is drawn
 * on the platform, acting as the department's own system; the groups by level and the sample are
 * printed as tables in the command's language. A refused plan prints every reason, then exits 1.
 */
import fs from 'node:fs/promises';
import { parsePlan, planProblems, type DrawRecordView } from '../modules/inspections/index.ts';
import { InvalidRequestError, msg, reasonIn, type Config } from '../platform/index.ts';
import { departmentActor } from './ingest.ts';
import { cliIo, cliLocaleNow } from './io.ts';
import { tr } from './say.ts';
import { displayWidth, padColumns } from './width.ts';
import { withContainer } from './with-container.ts';

type Out = (line: string) => void;

export interface SeedOptions {
  department: string;
  purpose: string;
}

export interface DrawOptions {
  plan: string;
  json?: boolean;
}

/** Rows laid out in columns (a Chinese character takes two). */
function table(rows: string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i] ?? ''))));
  return rows.map((cells) =>
    cells
      .map((c, i) => padColumns(c, widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

const percent = (rate: number) => `${Number((rate * 100).toFixed(2))}%`;

/** A draw as the command prints it: what was drawn with what, the groups, then the sample. */
export function describeDraw(d: DrawRecordView): string[] {
  const lines = [
    tr('cli.inspect.drawn', {
      id: d.id,
      department: d.department,
      matter: d.matter,
      at: d.drawnAt.toISOString(),
    }),
    tr('cli.inspect.seed_line', { id: d.seedId, seed: d.seed, at: d.announcedAt.toISOString() }),
    d.model === null
      ? tr('cli.inspect.no_model')
      : tr('cli.inspect.model', { code: d.model.code, version: d.model.version }),
    tr('cli.inspect.pool', { size: d.poolSize, digest: d.poolDigest }),
    '',
    ...table([
      [
        tr('cli.inspect.level'),
        tr('cli.inspect.pool_size'),
        tr('cli.inspect.rate'),
        tr('cli.inspect.drawn_count'),
      ],
      ...d.groups.map((g) => [
        g.level === 'unrated' ? tr('cli.inspect.unrated') : g.level,
        String(g.poolSize),
        percent(g.rate),
        String(g.drawn),
      ]),
    ]),
    '',
  ];
  if (d.sample.length === 0) {
    lines.push(tr('cli.inspect.none'));
    return lines;
  }
  lines.push(
    ...table([
      [tr('cli.inspect.code'), tr('cli.inspect.name'), tr('cli.inspect.level'), tr('cli.inspect.inspectors')],
      ...d.sample.map((s) => [
        s.code,
        s.name,
        s.level ?? tr('cli.inspect.unrated'),
        s.inspectors.join(tr('cli.separator.comma')),
      ]),
    ]),
  );
  return lines;
}

export async function inspectSeed(config: Config, opts: SeedOptions, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    const actor = await departmentActor(c, opts.department, 'reviewer');
    const seed = await c.inspections.announce(actor, opts.purpose);
    out(
      tr('cli.inspect.announced', {
        id: seed.id,
        department: seed.department,
        seed: seed.seed,
        at: seed.announcedAt.toISOString(),
      }),
    );
  });
}

/** Every reason a plan was refused, on standard error; the failure line follows. */
function sayProblems(file: string, err: unknown): void {
  for (const p of planProblems(err) ?? []) {
    cliIo().stderr(`${file}: [${p.rule}] ${reasonIn(cliLocaleNow(), p.reason)}\n`);
  }
}

export async function inspectDraw(config: Config, opts: DrawOptions, out: Out): Promise<void> {
  let input: unknown;
  try {
    input = JSON.parse(await fs.readFile(opts.plan, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw err;
    }
    throw new InvalidRequestError(
      msg('cli.inspect.not_json', { file: opts.plan, cause: (err as Error).message }),
    );
  }
  try {
    const plan = parsePlan(input);
    await withContainer(config, async (c) => {
      const actor = await departmentActor(c, plan.department, 'reviewer');
      const drawn = await c.inspections.draw(actor, input);
      if (opts.json === true) {
        out(JSON.stringify(drawn, null, 2));
        return;
      }
      describeDraw(drawn).forEach((line) => out(line));
    });
  } catch (err) {
    sayProblems(opts.plan, err);
    throw err;
  }
}

/**
 * Demonstration data: on the first start in demo mode, a market regulator's registrations,
 * licences and penalties are generated and ingested through the same path as any department's
 * file, so the platform has subjects, records, a review queue and quality figures to show; then
 * the showcase (showcase.ts) adds what a regulator's files alone do not: lists, a court, namesakes.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Container } from '../container.ts';
import type { BatchSummary } from '../modules/ingest/index.ts';
import { todayInShanghai } from '../platform/calendar/index.ts';
import { t } from '../platform/index.ts';
import { licensingRows, penaltyRows, registrationRows, writeCsv } from './generate.ts';
import { loadShowcase } from './showcase.ts';

/** The demo regulator: Fuzhou's market regulation bureau, with subjects in Fuzhou. */
const DEPARTMENT = 'FZ-SCJG';
const DIVISIONS = '3501';
const COMPANIES = 400;
const PENALTIES = 1500;
const LICENCES = 600;

export interface DemoLoad {
  batches: BatchSummary[];
  /** What the showcase shows, a line each. */
  showcase: string[];
}

/**
 * Ingests the demonstration data if nothing has been ingested yet; returns what it did. `progress`
 * is told what is being done, as it starts, in the platform's language (the config's `locale`).
 */
export async function loadDemoData(
  c: Container,
  progress: (step: string) => void = () => undefined,
): Promise<DemoLoad> {
  const any = await c.database.db.selectFrom('batch').select('id').limit(1).executeTakeFirst();
  const clerk = await c.auth.departmentSystem(DEPARTMENT, 'data_clerk', 'demo-data');
  if (any !== undefined || clerk === undefined) {
    return { batches: [], showcase: [] };
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-demo-'));
  try {
    const registrations = path.join(dir, '登记注册信息.csv');
    const penalties = path.join(dir, '行政处罚信息.csv');
    const licences = path.join(dir, '行政许可信息.csv');
    await writeCsv(registrations, registrationRows(COMPANIES, { divisions: DIVISIONS, distinctNames: true }));
    await writeCsv(
      penalties,
      penaltyRows({
        rows: PENALTIES,
        population: COMPANIES,
        divisions: DIVISIONS,
        distinctNames: true,
        recentShare: 0.6,
        until: todayInShanghai(),
      }),
      true, // GBK, as department exports often are
    );
    await writeCsv(
      licences,
      licensingRows({
        rows: LICENCES,
        population: COMPANIES,
        divisions: DIVISIONS,
        distinctNames: true,
        recentShare: 0.7,
        until: todayInShanghai(),
      }),
    );
    const summaries: BatchSummary[] = [];
    const files = [
      [registrations, 'registration', COMPANIES],
      [licences, 'admin_licensing', LICENCES],
      [penalties, 'admin_penalty', PENALTIES],
    ] as const;
    for (const [n, [file, item, rows]] of files.entries()) {
      progress(
        t(c.config.locale, 'demo.progress.batch', { step: n + 1, steps: files.length + 1, item, rows }),
      );
      summaries.push(
        await c.ingest.ingestFile(clerk, {
          department: DEPARTMENT,
          item,
          file,
          fileName: path.basename(file),
        }),
      );
    }
    progress(
      t(c.config.locale, 'demo.progress.showcase', { step: files.length + 1, steps: files.length + 1 }),
    );
    return { batches: summaries, showcase: await loadShowcase(c, todayInShanghai()) };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

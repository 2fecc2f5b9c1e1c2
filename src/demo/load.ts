/**
 * Demonstration data: on the first start in demo mode, a market regulator's registrations,
 * licences and penalties are generated and ingested through the same path as any department's
 * file, so the platform has subjects, records, a review queue and quality figures to show.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Container } from '../container.ts';
import type { BatchSummary } from '../modules/ingest/index.ts';
import { todayInShanghai } from '../platform/calendar/index.ts';
import { licensingRows, penaltyRows, registrationRows, writeCsv } from './generate.ts';

/** The demo regulator: Fuzhou's market regulation bureau, with subjects in Fuzhou. */
const DEPARTMENT = 'FZ-SCJG';
const DIVISIONS = '3501';
const COMPANIES = 400;
const PENALTIES = 1500;
const LICENCES = 600;

/** Ingests the demonstration data if nothing has been ingested yet; returns what it did. */
export async function loadDemoData(c: Container): Promise<BatchSummary[]> {
  const any = await c.database.db.selectFrom('batch').select('id').limit(1).executeTakeFirst();
  const clerk = await c.auth.departmentSystem(DEPARTMENT, 'data_clerk', 'demo-data');
  if (any !== undefined || clerk === undefined) {
    return [];
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-demo-'));
  try {
    const registrations = path.join(dir, '登记注册信息.csv');
    const penalties = path.join(dir, '行政处罚信息.csv');
    const licences = path.join(dir, '行政许可信息.csv');
    await writeCsv(registrations, registrationRows(COMPANIES, { divisions: DIVISIONS }));
    await writeCsv(
      penalties,
      penaltyRows({
        rows: PENALTIES,
        population: COMPANIES,
        divisions: DIVISIONS,
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
        recentShare: 0.7,
        until: todayInShanghai(),
      }),
    );
    const summaries: BatchSummary[] = [];
    for (const [file, item] of [
      [registrations, 'registration'],
      [licences, 'admin_licensing'],
      [penalties, 'admin_penalty'],
    ] as const) {
      summaries.push(
        await c.ingest.ingestFile(clerk, {
          department: DEPARTMENT,
          item,
          file,
          fileName: path.basename(file),
        }),
      );
    }
    return summaries;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

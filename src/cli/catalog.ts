import fs from 'node:fs/promises';
import { CatalogRuleError, presentItem, type LoadResult } from '../modules/catalog/index.ts';
import { InvalidRequestError, type Config } from '../platform/index.ts';
import { withContainer } from './with-container.ts';
import { cliIo } from './io.ts';

type Out = (line: string) => void;

export function describeLoad(result: LoadResult): string {
  const parts = [
    result.added.length > 0 ? `added ${result.added.join(', ')}` : '',
    result.changed.length > 0 ? `changed ${result.changed.join(', ')}` : '',
    result.retired.length > 0 ? `retired ${result.retired.join(', ')}` : '',
    result.unchanged > 0 ? `${result.unchanged} unchanged` : '',
  ].filter((p) => p !== '');
  return `catalog ${result.catalog} version ${result.version}: ${result.status}${parts.length > 0 ? ` (${parts.join('; ')})` : ''}`;
}

export async function catalogLoad(config: Config, files: string[], out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    if (files.length === 0) {
      out(describeLoad(await c.catalog.loadShipped({ label: 'system:cli' })));
      return;
    }
    for (const file of files) {
      let input: unknown;
      try {
        input = JSON.parse(await fs.readFile(file, 'utf8'));
      } catch (err) {
        throw new InvalidRequestError(`${file} is not a JSON catalog file: ${(err as Error).message}`);
      }
      try {
        out(describeLoad(await c.catalog.load(input, { label: 'system:cli' })));
      } catch (err) {
        if (err instanceof CatalogRuleError) {
          for (const v of err.violations) {
            cliIo().stderr(`${file}: ${v.field}: [${v.rule}] ${v.message}\n`);
          }
        }
        throw err;
      }
    }
  });
}

export async function catalogList(config: Config, json: boolean, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    const [catalogs, items, bases] = await Promise.all([
      c.catalog.catalogs(),
      c.catalog.items(),
      c.catalog.legalBases(),
    ]);
    const byCode = new Map(bases.map((b) => [b.code, b]));
    const views = items.map((i) => presentItem(i, byCode));
    if (json) {
      out(JSON.stringify(views, null, 2));
      return;
    }
    for (const cat of catalogs) {
      out(`${cat.code} — ${cat.nameZh} (${cat.kind}), version ${cat.version ?? '-'}`);
    }
    for (const v of views) {
      const periods = v.display
        .map((d) => (d.tier === null ? d.summary : `${d.tier}: ${d.summary}`))
        .join('; ');
      out(
        `  ${v.code.padEnd(26)} ${v.nameZh}  [${v.category}, ${v.disclosure}, sharing ${v.sharing}] ${periods}`,
      );
    }
  });
}

export async function catalogShow(config: Config, code: string, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    const [row, bases] = await Promise.all([c.catalog.item(code), c.catalog.legalBases()]);
    out(JSON.stringify(presentItem(row, new Map(bases.map((b) => [b.code, b]))), null, 2));
  });
}

import fs from 'node:fs/promises';
import {
  CatalogRuleError,
  presentItem,
  refuseDesignatedTemplate,
  templateCsv,
  templateCsvText,
  templateXlsx,
  type LoadResult,
  type TemplateFormat,
} from '../modules/catalog/index.ts';
import { InvalidRequestError, render, ValidationError, type Config } from '../platform/index.ts';
import { withContainer } from './with-container.ts';
import { cliIo, cliLocaleNow } from './io.ts';

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
            cliIo().stderr(`${file}: ${v.field}: [${v.rule}] ${render(cliLocaleNow(), v.message)}\n`);
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

export interface TemplateOptions {
  format?: TemplateFormat;
  out?: string;
}

/** The format a template is written in: as asked, else as the --out file's name says, else CSV. */
function templateFormat(opts: TemplateOptions): TemplateFormat {
  const named = opts.out?.toLowerCase().match(/\.(csv|xlsx)$/)?.[1] as TemplateFormat | undefined;
  if (opts.format !== undefined && named !== undefined && named !== opts.format) {
    throw new ValidationError(`--out: ${opts.out ?? ''} ends in .${named}, but --format is ${opts.format}`, {
      field: 'out',
      value: opts.out,
      rule: 'template.format',
    });
  }
  const format = opts.format ?? named ?? 'csv';
  if (format === 'xlsx' && opts.out === undefined) {
    throw new ValidationError('--out: an XLSX template is written to a file: give --out template.xlsx', {
      field: 'out',
      rule: 'required',
    });
  }
  return format;
}

/** `xinyong catalog template`: the heading row of an item's file (CSV to stdout), or a file. */
export async function catalogTemplate(
  config: Config,
  code: string,
  opts: TemplateOptions,
  out: Out,
): Promise<void> {
  const format = templateFormat(opts);
  await withContainer(config, async (c) => {
    const item = (await c.catalog.item(code)).definition;
    refuseDesignatedTemplate(item);
    if (opts.out === undefined) {
      out(templateCsvText(item).trimEnd());
      return;
    }
    await fs.writeFile(opts.out, format === 'csv' ? templateCsv(item) : await templateXlsx(item));
    const required = item.fields.filter((f) => f.required).length;
    out(
      `${item.code} template (${format}) written to ${opts.out}: ${item.fields.length} columns, ${required} required (marked *)`,
    );
  });
}

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
import { InvalidRequestError, msg, render, ValidationError, type Config } from '../platform/index.ts';
import { withContainer } from './with-container.ts';
import { cliIo, cliLocaleNow } from './io.ts';
import { tr } from './say.ts';

type Out = (line: string) => void;

/** A load's outcome in a line, in the command's language. */
export function describeLoad(result: LoadResult): string {
  const parts = [
    result.added.length > 0 ? tr('cli.catalog.added', { items: result.added.join(', ') }) : '',
    result.changed.length > 0 ? tr('cli.catalog.changed', { items: result.changed.join(', ') }) : '',
    result.retired.length > 0 ? tr('cli.catalog.retired', { items: result.retired.join(', ') }) : '',
    result.unchanged > 0 ? tr('cli.catalog.unchanged', { count: result.unchanged }) : '',
  ].filter((p) => p !== '');
  return tr('cli.catalog.loaded', {
    catalog: result.catalog,
    version: result.version,
    status: result.status,
    changes:
      parts.length > 0
        ? tr('cli.catalog.changes', { changes: parts.join(tr('cli.separator.semicolon')) })
        : '',
  });
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
        throw new InvalidRequestError(msg('cli.catalog.not_json', { file, cause: (err as Error).message }));
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
      out(
        tr('cli.catalog.catalog', {
          code: cat.code,
          name: cat.nameZh,
          kind: cat.kind,
          version: cat.version ?? '-',
        }),
      );
    }
    for (const v of views) {
      const periods = v.display
        .map((d) => (d.tier === null ? d.summary : `${d.tier}: ${d.summary}`))
        .join('; ');
      out(
        `  ${v.code.padEnd(26)} ${v.nameZh}  [${v.category}, ${v.disclosure}, ${tr('cli.catalog.sharing', { sharing: v.sharing })}] ${periods}`,
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
    throw new ValidationError(
      msg('cli.catalog.format_mismatch', { file: opts.out ?? '', named, format: opts.format }),
      {
        field: 'out',
        value: opts.out,
        rule: 'template.format',
      },
    );
  }
  const format = opts.format ?? named ?? 'csv';
  if (format === 'xlsx' && opts.out === undefined) {
    throw new ValidationError(msg('cli.catalog.xlsx_needs_out'), {
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
      tr('cli.catalog.template_written', {
        item: item.code,
        format,
        file: opts.out,
        columns: item.fields.length,
        required,
      }),
    );
  });
}

/** The commands about information: the catalog, ingest, batches, quality, files, checks, consents, review, revocation and column mappings. */
import { Option } from 'commander';
import { MATTERS } from '../../modules/disclosure/disclosure.types.ts';
import { callerPath, out } from '../io.ts';
import type { TemplateOptions } from '../catalog.ts';
import type { IngestOptions, MappingOptions } from '../ingest.ts';
import type { ResolveOptions, RevokeOptions } from '../review.ts';
import type { CheckOptions } from '../check.ts';
import { load, loadConfig, wholeNumber, type ProgramContext } from './shared.ts';

export function registerData({ program, h, setExitCode }: ProgramContext): void {
  const catalog = program.command('catalog').description(h('cli.help.catalog.description'));
  catalog
    .command('list')
    .description(h('cli.help.catalog.list'))
    .option('--json', h('cli.help.catalog.list_json'))
    .action(async (opts: { json?: boolean }) =>
      (await load.catalog()).catalogList(await loadConfig(), opts.json === true, out),
    );
  catalog
    .command('show')
    .description(h('cli.help.catalog.show'))
    .argument('<item>', h('cli.help.item_code'))
    .action(async (code: string) => (await load.catalog()).catalogShow(await loadConfig(), code, out));
  catalog
    .command('load')
    .description(h('cli.help.catalog.load'))
    .argument('[file...]', h('cli.help.catalog.load_files'), (file: string, files: string[] = []) => [
      ...files,
      callerPath(file),
    ])
    .action(async (files: string[]) => (await load.catalog()).catalogLoad(await loadConfig(), files, out));
  catalog
    .command('template')
    .description(h('cli.help.catalog.template'))
    .argument('<item>', h('cli.help.item_code'))
    .addOption(
      new Option('--format <format>', h('cli.help.catalog.template_format')).choices(['csv', 'xlsx']),
    )
    .option('--out <file>', h('cli.help.catalog.template_out'), callerPath)
    .action(async (code: string, opts: TemplateOptions) =>
      (await load.catalog()).catalogTemplate(await loadConfig(), code, opts, out),
    );

  program
    .command('ingest')
    .description(h('cli.help.ingest.description'))
    .argument('<file>', h('cli.help.ingest.file'), callerPath)
    .requiredOption('--item <code>', h('cli.help.ingest.item'))
    .requiredOption('--department <code>', h('cli.help.ingest.department'))
    .option('--encoding <name>', h('cli.help.ingest.encoding'))
    .option('--sheet <name>', h('cli.help.ingest.sheet'))
    .option('--corrects <batch>', h('cli.help.ingest.corrects'), wholeNumber)
    .option('--json', h('cli.help.ingest.json'))
    .option('--progress', h('cli.help.ingest.progress'))
    .action(async (file: string, opts: IngestOptions) => {
      setExitCode(await (await load.ingest()).ingestCommand(await loadConfig(), file, opts, out));
    });
  const batch = program.command('batch').description(h('cli.help.batch.description'));
  batch
    .command('list')
    .requiredOption('--department <code>')
    .action(async (opts: { department: string }) =>
      (await load.ingest()).batchList(await loadConfig(), opts.department, out),
    );
  batch
    .command('show')
    .argument('<id>', h('cli.help.batch_id'), wholeNumber)
    .option('--json')
    .action(async (id: number, opts: { json?: boolean }) =>
      (await load.ingest()).batchShow(await loadConfig(), id, opts.json === true, out),
    );
  batch
    .command('purge')
    .description(h('cli.help.batch.purge'))
    .option('--days <n>', h('cli.help.batch.days'), wholeNumber)
    .action(async (opts: { days?: number }) =>
      (await load.ingest()).batchPurge(await loadConfig(), opts.days, out),
    );
  batch
    .command('errors')
    .description(h('cli.help.batch.errors'))
    .argument('<id>', h('cli.help.batch_id'), wholeNumber)
    .requiredOption('--out <file>', h('cli.help.batch.errors_out'), callerPath)
    .action(async (id: number, opts: { out: string }) =>
      (await load.ingest()).batchErrors(await loadConfig(), id, opts.out, out),
    );

  program
    .command('quality')
    .description(h('cli.help.quality.description'))
    .option('--department <code>')
    .option('--from <month>', h('cli.help.quality.from'))
    .option('--to <month>', h('cli.help.quality.to'))
    .option('--json')
    .action(async (opts: { department?: string; from?: string; to?: string; json?: boolean }) =>
      (await load.quality()).qualityCommand(await loadConfig(), opts, out),
    );

  program
    .command('file')
    .description(h('cli.help.file.description'))
    .argument('<code>', h('cli.help.subject_code'))
    .addOption(
      new Option('--as <audience>', h('cli.help.file.as')).choices(['public', 'auditor']).default('public'),
    )
    .option('--json')
    .action(async (code: string, opts: { as: 'public' | 'auditor'; json?: boolean }) =>
      (await load.file()).fileCommand(await loadConfig(), code, opts, out),
    );

  program
    .command('check')
    .description(h('cli.help.check.description'))
    .argument('[code]', h('cli.help.subject_code'))
    .requiredOption('--matter <type>', h('cli.help.check.matter', { matters: MATTERS.join(', ') }))
    .requiredOption('--department <code>', h('cli.help.check.department'))
    .option('--purpose <text>', h('cli.help.check.purpose'))
    .option('--file <path>', h('cli.help.check.file'), callerPath)
    .option('--json')
    .action(async (code: string | undefined, opts: CheckOptions) =>
      (await load.check()).checkCommand(await loadConfig(), code, opts, out),
    );

  const consent = program.command('consent').description(h('cli.help.consent.description'));
  consent
    .command('give')
    .argument('<code>', h('cli.help.consent.code'))
    .option('--item <code>', h('cli.help.consent.item'))
    .requiredOption('--evidence <document>', h('cli.help.consent.evidence'))
    .action(async (code: string, opts: { item?: string; evidence: string }) =>
      (await load.file()).consentGive(await loadConfig(), code, opts, out),
    );
  consent
    .command('withdraw')
    .argument('<code>', h('cli.help.consent.code'))
    .argument('<id>', h('cli.help.consent.id'), wholeNumber)
    .action(async (code: string, id: number) =>
      (await load.file()).consentWithdraw(await loadConfig(), code, id, out),
    );

  const review = program.command('review').description(h('cli.help.review.description'));
  review
    .command('list')
    .requiredOption('--department <code>')
    .option('--json')
    .action(async (opts: { department: string; json?: boolean }) =>
      (await load.review()).reviewList(await loadConfig(), opts.department, opts.json === true, out),
    );
  review
    .command('resolve')
    .description(h('cli.help.review.resolve'))
    .argument('<batch>', h('cli.help.batch_id'), wholeNumber)
    .argument('<row>', h('cli.help.review.row'), wholeNumber)
    .option('--code <code>', h('cli.help.review.code'))
    .option('--subject <id>', h('cli.help.review.subject'), wholeNumber)
    .option('--reject <reason>', h('cli.help.review.reject'))
    .option('--note <text>', h('cli.help.review.note'))
    .action(async (batchId: number, rowNo: number, opts: ResolveOptions) =>
      (await load.review()).reviewResolve(await loadConfig(), batchId, rowNo, opts, out),
    );
  program
    .command('revoke')
    .description(h('cli.help.revoke.description'))
    .requiredOption('--department <code>')
    .requiredOption('--item <code>')
    .requiredOption('--document <number>', h('cli.help.revoke.document'))
    .requiredOption('--code <code>', h('cli.help.revoke.code'))
    .requiredOption('--reason <text>')
    .action(async (opts: RevokeOptions) => (await load.review()).recordRevoke(await loadConfig(), opts, out));

  const mapping = program.command('mapping').description(h('cli.help.mapping.description'));
  mapping
    .command('set')
    .requiredOption('--department <code>')
    .requiredOption('--item <code>')
    .requiredOption('--column <heading>', h('cli.help.mapping.column'))
    .requiredOption('--field <field>', h('cli.help.mapping.field'))
    .action(async (opts: MappingOptions) => (await load.ingest()).mappingSet(await loadConfig(), opts, out));
  mapping
    .command('list')
    .requiredOption('--department <code>')
    .requiredOption('--item <code>')
    .action(async (opts: { department: string; item: string }) =>
      (await load.ingest()).mappingList(await loadConfig(), opts.department, opts.item, out),
    );
}

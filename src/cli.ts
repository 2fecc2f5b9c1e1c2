/**
 * The `xinyong` command line. Every command builds the platform through the same composition
 * root as the server.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
// Two leaves with no imports of their own, taken directly so that building the program (and its
// help) loads nothing but the message catalogue.
import { isCivilDate } from './platform/calendar/civil-date.ts';
import { MATTERS } from './modules/disclosure/disclosure.types.ts';
import { LOCALES, type Locale } from './platform/i18n/locale.ts';
import { t, type MessageKey, type MessageParams } from './platform/i18n/index.ts';
import { VERSION } from './version.ts';
import { cliLocale, withoutLang } from './cli/locale.ts';
import { callerPath, cliIo, hostContainer, out, runHosted, speaking, warn, type CliIo } from './cli/io.ts';
import { say, tr } from './cli/say.ts';
import { errorOutputIn, helpIn } from './cli/commander-text.ts';
import { forwardCommand, NoServerError, runningServerSocket } from './cli/command-socket.ts';
import { reportFailure } from './cli/failure.ts';
import type { ListOptions } from './cli/audit.ts';
import type { TemplateOptions } from './cli/catalog.ts';
import type { DepartmentOptions, TokenOptions, UserOptions } from './cli/access.ts';
import type { IngestOptions, MappingOptions } from './cli/ingest.ts';
import type { ResolveOptions, RevokeOptions } from './cli/review.ts';
import type { DecideOptions, FileOptions } from './cli/objection.ts';
import type { ReportOptions } from './cli/report.ts';
import type { CheckOptions } from './cli/check.ts';

/**
 * Each command loads its own code when it runs: `xinyong --help` and `xinyong id` load neither
 * the database nor the HTTP server.
 */
const load = {
  calendar: () => import('./cli/calendar.ts'),
  audit: () => import('./cli/audit.ts'),
  catalog: () => import('./cli/catalog.ts'),
  access: () => import('./cli/access.ts'),
  id: () => import('./cli/id.ts'),
  ingest: () => import('./cli/ingest.ts'),
  review: () => import('./cli/review.ts'),
  objection: () => import('./cli/objection.ts'),
  report: () => import('./cli/report.ts'),
  file: () => import('./cli/file.ts'),
  check: () => import('./cli/check.ts'),
  quality: () => import('./cli/quality.ts'),
  serve: () => import('./cli/serve.ts'),
};

/** The configuration, read from the environment when a command needs it. */
const loadConfig = async () => (await import('./platform/index.ts')).loadConfig();

// Output piped into a reader that stops early (`| head`) ends the command quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') {
    process.exit(0);
  }
  throw err;
});

function civilDate(value: string): string {
  if (!isCivilDate(value)) {
    throw new InvalidArgumentError(tr('cli.argument.not_a_date', { value: JSON.stringify(value) }));
  }
  return value;
}

function wholeNumber(value: string): number {
  if (!/^-?\d+$/.test(value)) {
    throw new InvalidArgumentError(tr('cli.argument.not_a_whole_number', { value: JSON.stringify(value) }));
  }
  return Number(value);
}

/** How many events `audit list` prints: the listing is read in one go, so it has a ceiling. */
function eventCount(value: string): number {
  const n = wholeNumber(value);
  if (n < 1 || n > 100_000) {
    throw new InvalidArgumentError(tr('cli.argument.not_an_event_count', { value }));
  }
  return n;
}

function port(value: string): number {
  const n = wholeNumber(value);
  if (n < 0 || n > 65535) {
    throw new InvalidArgumentError(tr('cli.argument.not_a_port', { value }));
  }
  return n;
}

/** The program, its help in `locale`, commander's own words too. */
export function buildProgram(locale: Locale, setExitCode: (code: number) => void): Command {
  const h = (key: MessageKey, params?: MessageParams) => t(locale, key, params);
  const program = new Command('xinyong')
    .description(h('cli.help.program'))
    .version(VERSION, '-V, --version', h('cli.commander.version_option'))
    .helpOption('-h, --help', h('cli.commander.help_option'))
    .helpCommand('help [command]', h('cli.commander.help_command'))
    .configureHelp(helpIn(locale))
    .addOption(new Option('--lang <locale>', h('cli.help.lang')).choices(LOCALES))
    .exitOverride()
    // Help and usage errors go where the command's output goes (the caller's terminal, also when
    // the command runs inside the server).
    .configureOutput({
      writeOut: (text) => cliIo().stdout(text),
      writeErr: (text) => cliIo().stderr(text),
      ...errorOutputIn(locale),
    });

  program
    .command('serve')
    .description(h('cli.help.serve.description'))
    .option('-p, --port <port>', h('cli.help.serve.port'), port)
    .option('-H, --host <host>', h('cli.help.serve.host'))
    .action(async (opts: { port?: number; host?: string }) => {
      const config = await loadConfig();
      await (
        await load.serve()
      ).serve(
        {
          ...config,
          // --lang sets the language of the server's lines and of answers that ask for none.
          locale: program.opts<{ lang?: Locale }>().lang ?? config.locale,
          http: { ...config.http, host: opts.host ?? config.http.host, port: opts.port ?? config.http.port },
        },
        out,
        // Commands typed while the server owns the embedded database run here, on its platform.
        (container) => (argv, io) => runHosted(io, container, () => runCli(['node', 'xinyong', ...argv])),
      );
    });

  program
    .command('migrate')
    .description(h('cli.help.migrate.description'))
    .action(async () => {
      if (hostContainer() !== undefined) {
        say('cli.migrate.up_to_date_hosted');
        return;
      }
      const { createContainer } = await import('./container.ts');
      const container = await createContainer(await loadConfig());
      await container.close();
      const applied = container.migrationsApplied;
      if (applied.length === 0) {
        say('cli.migrate.up_to_date');
      } else {
        say('cli.migrate.applied', { migrations: applied.join(', ') });
      }
    });

  program
    .command('id')
    .description(h('cli.help.id.description'))
    .argument('<value...>', h('cli.help.id.value'))
    .option('--json', h('cli.help.json'))
    .action(async (values: string[], opts: { json?: boolean }) => {
      setExitCode((await load.id()).idCommand(values, opts.json === true, out));
    });

  const calendar = program.command('calendar').description(h('cli.help.calendar.description'));
  calendar
    .command('load')
    .description(h('cli.help.calendar.load'))
    .argument('<file>', h('cli.help.calendar.load_file'), callerPath)
    .action(async (file: string) => (await load.calendar()).calendarLoad(await loadConfig(), file, out));
  calendar
    .command('show')
    .description(h('cli.help.calendar.show'))
    .action(async () => (await load.calendar()).calendarShow(await loadConfig(), out));
  calendar
    .command('add')
    .description(h('cli.help.calendar.add'))
    .argument('<date>', h('cli.help.date'), civilDate)
    .argument('<days>', h('cli.help.calendar.days'), wholeNumber)
    .action(async (date: string, days: number) =>
      (await load.calendar()).calendarAdd(await loadConfig(), date, days, out),
    );
  calendar
    .command('between')
    .description(h('cli.help.calendar.between'))
    .argument('<from>', h('cli.help.date'), civilDate)
    .argument('<to>', h('cli.help.date'), civilDate)
    .action(async (from: string, to: string) =>
      (await load.calendar()).calendarBetween(await loadConfig(), from, to, out),
    );

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

  const objection = program.command('objection').description(h('cli.help.objection.description'));
  const repeated = (value: string, previous: string[] = []) => [...previous, value];
  objection
    .command('file')
    .description(h('cli.help.objection.file'))
    .requiredOption('--subject <code>', h('cli.help.objection.subject'))
    .requiredOption('--record <id>', h('cli.help.objection.record'), wholeNumber)
    .requiredOption('--reasons <text>', h('cli.help.objection.reasons'))
    .addOption(
      new Option('--received <how>', h('cli.help.objection.received'))
        .choices(['written', 'window'])
        .makeOptionMandatory(),
    )
    .option('--attach <file>', h('cli.help.objection.attach'), repeated)
    .action(async (opts: FileOptions) =>
      (await load.objection()).objectionFile(await loadConfig(), opts, out),
    );
  objection
    .command('list')
    .description(h('cli.help.objection.list'))
    .addOption(
      new Option('--status <status>', h('cli.help.objection.status')).choices(['open', 'upheld', 'rejected']),
    )
    .option('--overdue', h('cli.help.objection.overdue'))
    .option('--json')
    .action(async (opts: { status?: 'open' | 'upheld' | 'rejected'; overdue?: boolean; json?: boolean }) =>
      (await load.objection()).objectionList(await loadConfig(), opts, out),
    );
  objection
    .command('decide')
    .description(h('cli.help.objection.decide'))
    .argument('<id>', h('cli.help.objection.id'), wholeNumber)
    .addOption(
      new Option('--outcome <outcome>', h('cli.help.objection.outcome'))
        .choices(['upheld', 'rejected'])
        .makeOptionMandatory(),
    )
    .requiredOption('--decision <text>', h('cli.help.objection.decision'))
    .option('--revoke', h('cli.help.objection.revoke'))
    .option('--field <key=value>', h('cli.help.objection.field'), repeated)
    .option('--document <number>', h('cli.help.objection.document'))
    .action(async (id: number, opts: DecideOptions) =>
      (await load.objection()).objectionDecide(await loadConfig(), id, opts, out),
    );

  const report = program
    .command('report')
    .description(h('cli.help.report.description'))
    .argument('[code]', h('cli.help.report.code'))
    .addOption(
      new Option('--type <type>', h('cli.help.report.type')).choices(['public', 'matter', 'self', 'special']),
    )
    .option('--out <file>', h('cli.help.report.out'))
    .option('--domains <list>', h('cli.help.report.domains'))
    .option('--years <n>', h('cli.help.report.years'), wholeNumber)
    .option('--from <date>')
    .option('--to <date>')
    .option('--department <code>', h('cli.help.report.department'))
    .option('--purpose <text>')
    .option('--matter <matter>')
    .action(async (code: string | undefined, opts: Partial<ReportOptions>) => {
      if (code === undefined || opts.type === undefined || opts.out === undefined) {
        report.help({ error: true });
      }
      await (await load.report()).reportIssue(await loadConfig(), code ?? '', opts as ReportOptions, out);
    });
  report
    .command('verify')
    .description(h('cli.help.report.verify'))
    .argument('<file>')
    .option('--keys <file>', h('cli.help.report.keys'))
    .action(async (file: string, opts: { keys?: string }) =>
      setExitCode(await (await load.report()).reportVerify(await loadConfig(), file, opts.keys, out)),
    );

  const keys = program.command('keys').description(h('cli.help.keys.description'));
  keys
    .command('list')
    .description(h('cli.help.keys.list'))
    .action(async () => (await load.report()).keysList(await loadConfig(), out));
  keys
    .command('rotate')
    .description(h('cli.help.keys.rotate'))
    .action(async () => (await load.report()).keysRotate(await loadConfig(), out));
  keys
    .command('retire')
    .description(h('cli.help.keys.retire'))
    .argument('<keyId>')
    .action(async (keyId: string) => (await load.report()).keysRetire(await loadConfig(), keyId, out));
  keys
    .command('revoke')
    .description(h('cli.help.keys.revoke'))
    .argument('<keyId>')
    .requiredOption('--reason <text>', h('cli.help.keys.reason'))
    .action(async (keyId: string, opts: { reason: string }) =>
      (await load.report()).keysRevoke(await loadConfig(), keyId, opts.reason, out),
    );

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

  const audit = program.command('audit').description(h('cli.help.audit.description'));
  audit
    .command('verify')
    .description(h('cli.help.audit.verify'))
    .option('--json', h('cli.help.audit.json'))
    .action(async (opts: { json?: boolean }) => {
      setExitCode(await (await load.audit()).auditVerify(await loadConfig(), opts.json === true, out));
    });
  audit
    .command('checkpoint')
    .description(h('cli.help.audit.checkpoint'))
    .action(async () => (await load.audit()).auditCheckpoint(await loadConfig(), out));
  audit
    .command('list')
    .description(h('cli.help.audit.list'))
    .option('--action <action>')
    .option('--actor <actor>', h('cli.help.audit.actor'))
    .option('--limit <n>', h('cli.help.audit.limit'), eventCount, 100)
    .action(async (opts: ListOptions) => (await load.audit()).auditList(await loadConfig(), opts, out));
  audit
    .command('archive')
    .description(h('cli.help.audit.archive'))
    .requiredOption('--out <file>', h('cli.help.audit.archive_out'), callerPath)
    .option('--before <time>', h('cli.help.audit.before'))
    .action(async (opts: { out: string; before?: string }) =>
      (await load.audit()).auditArchive(await loadConfig(), opts.out, opts.before, out),
    );

  const token = program.command('token').description(h('cli.help.token.description'));
  token
    .command('create')
    .description(h('cli.help.token.create'))
    .requiredOption('--role <role>', h('cli.help.token.role'))
    .option('--department <code>', h('cli.help.token.department'))
    .option('--institution <code>', h('cli.help.token.institution'))
    .option('--name <name>', h('cli.help.token.name'))
    .option('--expires <duration>', h('cli.help.token.expires'), '90d')
    .action(async (opts: TokenOptions) => (await load.access()).tokenCreate(await loadConfig(), opts, out));
  token
    .command('list')
    .description(h('cli.help.token.list'))
    .option('--department <code>')
    .action(async (opts: { department?: string }) =>
      (await load.access()).tokenList(await loadConfig(), opts.department, out),
    );
  token
    .command('revoke')
    .description(h('cli.help.token.revoke'))
    .argument('<id>', h('cli.help.token.id'), wholeNumber)
    .action(async (id: number) => (await load.access()).tokenRevoke(await loadConfig(), id, out));

  const user = program.command('user').description(h('cli.help.user.description'));
  user
    .command('create')
    .description(h('cli.help.user.create'))
    .requiredOption('--username <name>')
    .requiredOption('--name <display name>')
    .requiredOption('--role <role>', h('cli.help.user.role'))
    .option('--department <code>')
    .option('--institution <code>')
    .option('--subject <unified code>')
    .action(async (opts: UserOptions) => (await load.access()).userCreate(await loadConfig(), opts, out));
  user
    .command('list')
    .description(h('cli.help.user.list'))
    .action(async () => (await load.access()).userList(await loadConfig(), out));
  user
    .command('reset-password')
    .description(h('cli.help.user.reset_password'))
    .argument('<username>')
    .option('--remove-totp', h('cli.help.user.remove_totp'))
    .action(async (username: string, opts: { removeTotp?: boolean }) =>
      (await load.access()).userResetPassword(await loadConfig(), username, opts, out),
    );
  user
    .command('disable')
    .description(h('cli.help.user.disable'))
    .argument('<username>')
    .action(async (username: string) => (await load.access()).userDisable(await loadConfig(), username, out));
  user
    .command('enable')
    .description(h('cli.help.user.enable'))
    .argument('<username>')
    .action(async (username: string) => (await load.access()).userEnable(await loadConfig(), username, out));

  const department = program.command('department').description(h('cli.help.department.description'));
  department
    .command('create')
    .requiredOption('--code <code>')
    .requiredOption('--name <name>')
    .requiredOption('--division <code>', h('cli.help.department.division'))
    .requiredOption('--uscc <code>', h('cli.help.department.uscc'))
    .requiredOption('--level <level>', h('cli.help.department.level'))
    .option('--domains <list>', h('cli.help.department.domains'))
    .action(async (opts: DepartmentOptions) =>
      (await load.access()).departmentCreate(await loadConfig(), opts, out),
    );
  department
    .command('update')
    .description(h('cli.help.department.update'))
    .argument('<code>', h('cli.help.department.code'))
    .option('--name <name>')
    .option('--uscc <code>', h('cli.help.department.uscc'))
    .option('--domains <list>', h('cli.help.department.update_domains'))
    .action(async (code: string, opts: { name?: string; uscc?: string; domains?: string }) =>
      (await load.access()).departmentUpdate(await loadConfig(), code, opts, out),
    );
  department
    .command('list')
    .action(async () => (await load.access()).departmentList(await loadConfig(), out));

  program
    .command('demo')
    .description(h('cli.help.demo.description'))
    .command('remove')
    .description(h('cli.help.demo.remove'))
    .action(async () => (await load.access()).demoRemove(await loadConfig(), out));

  return program;
}

/** Runs the CLI; resolves with the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const locale = cliLocale(argv);
  return speaking(locale, () => runIn(locale, argv));
}

async function runIn(locale: Locale, argv: readonly string[]): Promise<number> {
  const socket = await runningServerSocket(argv);
  if (socket !== undefined) {
    try {
      // The server speaks the caller's language, whichever way the caller chose it.
      return await forwardCommand(socket, ['--lang', locale, ...withoutLang(argv.slice(2))], locale);
    } catch (err) {
      if (!(err instanceof NoServerError)) {
        warn(t(locale, 'cli.socket.failed', { message: (err as Error).message }));
        return 1;
      }
      // The owner is not a server (another command): run here, which says who holds the directory.
    }
  }
  let exitCode = 0;
  const program = buildProgram(locale, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (err) {
    return await reportFailure(err, locale);
  }
}

export type { CliIo };

// Run as a program (`node --import tsx src/cli.ts …`, as the tests do), it is bin/xinyong.js.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await runCli(process.argv);
}

/** Objections, credit reports and the signing keys. */
import { Option } from 'commander';
import { out } from '../io.ts';
import type { DecideOptions, FileOptions } from '../objection.ts';
import type { ReportOptions } from '../report.ts';
import { load, loadConfig, wholeNumber, type ProgramContext } from './shared.ts';

export function registerCases({ program, h, setExitCode }: ProgramContext): void {
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
}

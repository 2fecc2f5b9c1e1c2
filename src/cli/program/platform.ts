/** `xinyong serve`, `migrate`, `id` and `calendar`. */
import type { Locale } from '../../platform/i18n/locale.ts';
import { callerPath, hostContainer, out, runHosted } from '../io.ts';
import { say } from '../say.ts';

import { civilDate, load, loadConfig, port, wholeNumber, type ProgramContext } from './shared.ts';

export function registerPlatform({ program, h, setExitCode, runCli }: ProgramContext): void {
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
      const { createContainer } = await import('../../container.ts');
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
}

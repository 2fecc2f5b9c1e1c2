/**
 * The `xinyong` command line. Every command builds the platform through the same composition
 * root as the server. The commands are registered by group (src/cli/program/); each loads its own
 * code only when it runs, so building the program and its help loads nothing but the message
 * catalogue.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, Option } from 'commander';
import { LOCALES, type Locale } from './platform/i18n/locale.ts';
import { t, type MessageKey, type MessageParams } from './platform/i18n/index.ts';
import { VERSION } from './version.ts';
import { registerAccess } from './cli/program/access.ts';
import { registerCases } from './cli/program/cases.ts';
import { registerInspect } from './cli/program/inspect.ts';
import { registerEvaluate } from './cli/program/evaluate.ts';
import { registerFederation } from './cli/program/federation.ts';
import { registerData } from './cli/program/data.ts';
import { registerPlatform } from './cli/program/platform.ts';
import { cliLocale, withoutLang } from './cli/locale.ts';
import { cliIo, speaking, warn, type CliIo } from './cli/io.ts';
import { errorOutputIn, helpIn } from './cli/commander-text.ts';
import { forwardCommand, NoServerError, runningServerSocket } from './cli/command-socket.ts';
import { reportFailure } from './cli/failure.ts';

// Output piped into a reader that stops early (`| head`) ends the command quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') {
    process.exit(0);
  }
  throw err;
});

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

  const context = { program, h, setExitCode, runCli };
  registerPlatform(context);
  registerData(context);
  registerCases(context);
  registerEvaluate(context);
  registerInspect(context);
  registerFederation(context);
  registerAccess(context);

  return program;
}
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

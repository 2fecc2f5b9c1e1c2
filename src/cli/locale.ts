/**
 * The command line's language: `--lang`, else XINYONG_LANG, else Chinese. Read from the arguments
 * before commander parses them, since the program's help and a failure of the parse itself are
 * said in it.
 */
import { DEFAULT_LOCALE, isLocale, type Locale } from '../platform/i18n/locale.ts';

/** The value of the global `--lang` option in `args` (the arguments after the program's name). */
function langArgument(args: readonly string[]): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      break;
    }
    if (arg === '--lang') {
      value = args[i + 1];
      i += 1;
    } else if (arg.startsWith('--lang=')) {
      value = arg.slice('--lang='.length);
    }
  }
  return value;
}

/** The language a command run with `argv` (as process.argv) speaks. */
export function cliLocale(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Locale {
  const flag = langArgument(argv.slice(2));
  return isLocale(flag) ? flag : envLocale(env);
}

/** The language a command speaks when no --lang says otherwise: XINYONG_LANG, else Chinese. */
export function envLocale(env: NodeJS.ProcessEnv = process.env): Locale {
  return isLocale(env.XINYONG_LANG) ? env.XINYONG_LANG : DEFAULT_LOCALE;
}

/** `args` without the global `--lang` option: what names the command. */
export function withoutLang(args: readonly string[]): string[] {
  const rest: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--lang') {
      i += 1;
    } else if (!arg.startsWith('--lang=')) {
      rest.push(arg);
    }
  }
  return rest;
}

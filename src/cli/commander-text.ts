/**
 * Commander's own words in the command's language: the headings and notes of its help, the help of
 * its help and version options, and its usage errors. Commander writes them in English and lets a
 * program restyle its help (configureHelp) and its error output (configureOutput): the headings and
 * notes are given here from the catalogue, and an error it reports is read back into the
 * catalogue's message of the same meaning. An error not recognised is left as commander wrote it.
 */
import type { Argument, Help, HelpConfiguration, Option, OutputConfiguration } from 'commander';
import { msg, render, t, type Locale, type Message, type MessageKey } from '../platform/i18n/index.ts';
import { displayWidth } from './width.ts';

const TITLES: Readonly<Record<string, MessageKey>> = {
  'Usage:': 'cli.commander.usage',
  'Arguments:': 'cli.commander.arguments',
  'Options:': 'cli.commander.options',
  'Global Options:': 'cli.commander.global_options',
  'Commands:': 'cli.commander.commands',
};

// A line of help breaks between words, and in Chinese between any two characters, but never
// before a closing mark (，。）…) nor after an opening one (（《…).
const WIDE = '\\p{Script=Han}\\u3000-\\u303f\\uff00-\\uffef';
const OPENING = '（《「『【〔“‘';
const CLOSING = '，。、；：？！）》」』】〕”’';
const CHUNK = new RegExp(`\\s*[${OPENING}]*(?:[${WIDE}]|[^\\s${WIDE}]+)[${CLOSING}]*`, 'gu');

/** `text` broken into lines of at most `width` columns (a word longer than that keeps its line). */
function wrap(text: string, width: number): string {
  return text
    .split(/\r\n|\n/)
    .map((line) => {
      const lines: string[] = [];
      let current = '';
      for (const chunk of line.match(CHUNK) ?? []) {
        if (current !== '' && displayWidth(current) + displayWidth(chunk) > width) {
          lines.push(current);
          current = chunk.trimStart();
        } else {
          current += chunk;
        }
      }
      lines.push(current);
      return lines.join('\n');
    })
    .join('\n');
}

/** What commander's help says in `locale`, for `program.configureHelp(...)`. */
export function helpIn(locale: Locale): HelpConfiguration {
  const list = (values: readonly string[]) =>
    values.map((v) => JSON.stringify(v)).join(t(locale, 'cli.separator.list'));
  // "description (choices: …, default: …)", as commander adds them.
  const described = (description: string, notes: string[]) => {
    if (notes.length === 0) {
      return description;
    }
    const info = notes.join(t(locale, 'cli.separator.comma'));
    return description === ''
      ? t(locale, 'cli.commander.info', { info })
      : t(locale, 'cli.commander.described', { description, info });
  };
  const defaultNote = (value: unknown, description: string | undefined) =>
    t(locale, 'cli.commander.default', { value: description ?? JSON.stringify(value) });
  return {
    styleTitle: (title: string) => {
      const key = TITLES[title];
      return key === undefined ? title : t(locale, key);
    },
    optionDescription: (option: Option) => {
      const notes: string[] = [];
      if (option.argChoices !== undefined) {
        notes.push(t(locale, 'cli.commander.choices', { choices: list(option.argChoices) }));
      }
      // Shown where commander shows it: for an option that takes a value, or a boolean's default.
      const defaultValue: unknown = option.defaultValue;
      if (
        defaultValue !== undefined &&
        (option.required || option.optional || (option.isBoolean() && typeof defaultValue === 'boolean'))
      ) {
        notes.push(defaultNote(defaultValue, option.defaultValueDescription));
      }
      if (option.presetArg !== undefined && option.optional) {
        notes.push(t(locale, 'cli.commander.preset', { value: JSON.stringify(option.presetArg) }));
      }
      if (option.envVar !== undefined) {
        notes.push(t(locale, 'cli.commander.env', { name: option.envVar }));
      }
      return described(option.description, notes);
    },
    argumentDescription: (argument: Argument) => {
      const notes: string[] = [];
      if (argument.argChoices !== undefined) {
        notes.push(t(locale, 'cli.commander.choices', { choices: list(argument.argChoices) }));
      }
      const defaultValue: unknown = argument.defaultValue;
      if (defaultValue !== undefined) {
        notes.push(defaultNote(defaultValue, argument.defaultValueDescription));
      }
      return described(argument.description, notes);
    },
    displayWidth,
    boxWrap(this: Help, text: string, width: number) {
      return width < this.minWidthToWrap ? text : wrap(text, width);
    },
  };
}

type Rule = [RegExp, (match: RegExpExecArray, locale: Locale) => Message];

/** Commander's list of names ("a, b"), in `locale`'s way of listing. */
const relist = (names: string, locale: Locale) => names.split(', ').join(t(locale, 'cli.separator.list'));

/** The reason commander gives after "is invalid.": a choice not allowed, or what a parser said. */
function reason(text: string, locale: Locale): Message | string {
  const choices = /^Allowed choices are (.*)\.$/s.exec(text);
  return choices === null
    ? text
    : msg('cli.commander.allowed_choices', { choices: relist(choices[1] ?? '', locale) });
}

/** Commander's usage errors (lib/command.js), as it words them, and the catalogue's message for each. */
const ERRORS: readonly Rule[] = [
  [
    /^error: missing required argument '(.*)'$/s,
    (m) => msg('cli.commander.missing_argument', { name: m[1] ?? '' }),
  ],
  [
    /^error: option '(.*)' argument missing$/s,
    (m) => msg('cli.commander.option_missing_argument', { flags: m[1] ?? '' }),
  ],
  [
    /^error: required option '(.*)' not specified$/s,
    (m) => msg('cli.commander.missing_mandatory_option', { flags: m[1] ?? '' }),
  ],
  [/^error: unknown option '(.*)'$/s, (m) => msg('cli.commander.unknown_option', { flag: m[1] ?? '' })],
  [/^error: unknown command '(.*)'$/s, (m) => msg('cli.commander.unknown_command', { name: m[1] ?? '' })],
  [
    /^error: too many arguments(?: for '(.*)')?\. Expected (\d+) arguments? but got (\d+)\.$/s,
    (m) =>
      msg('cli.commander.excess_arguments', {
        command: m[1] === undefined ? '' : msg('cli.commander.excess_for', { name: m[1] }),
        expected: Number(m[2]),
        arguments: msg(m[2] === '1' ? 'cli.commander.argument_one' : 'cli.commander.argument_other'),
        received: Number(m[3]),
      }),
  ],
  [
    /^error: option '(.*)' argument '(.*)' is invalid\. (.*)$/s,
    (m, locale) =>
      msg('cli.commander.invalid_option_argument', {
        flags: m[1] ?? '',
        value: m[2] ?? '',
        reason: reason(m[3] ?? '', locale),
      }),
  ],
  [
    /^error: command-argument value '(.*)' is invalid for argument '(.*)'\. (.*)$/s,
    (m, locale) =>
      msg('cli.commander.invalid_command_argument', {
        value: m[1] ?? '',
        name: m[2] ?? '',
        reason: reason(m[3] ?? '', locale),
      }),
  ],
];

const SUGGESTION = /\n\(Did you mean (one of )?(.*)\?\)$/s;

/** A usage error as commander wrote it (a line, perhaps a suggestion after it), said in `locale`. */
export function commanderErrorIn(locale: Locale, text: string): string {
  const body = text.replace(/\n$/, '');
  const suggested = SUGGESTION.exec(body);
  const error = suggested === null ? body : body.slice(0, suggested.index);
  for (const [pattern, message] of ERRORS) {
    const match = pattern.exec(error);
    if (match === null) {
      continue;
    }
    const lines = [render(locale, message(match, locale))];
    if (suggested !== null) {
      const names = suggested[2] ?? '';
      lines.push(
        suggested[1] === undefined
          ? t(locale, 'cli.commander.did_you_mean', { name: names })
          : t(locale, 'cli.commander.did_you_mean_one_of', { names: relist(names, locale) }),
      );
    }
    return `${lines.join('\n')}\n`;
  }
  return text;
}

/** Commander's error output in `locale`, for `program.configureOutput(...)`. */
export function errorOutputIn(locale: Locale): Pick<OutputConfiguration, 'outputError'> {
  return { outputError: (text, write) => write(commanderErrorIn(locale, text)) };
}

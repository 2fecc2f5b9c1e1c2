/**
 * A command's lines from the message catalogue, in the language the command speaks: what a
 * command module writes instead of an English literal.
 */
import { renderText, t, type MessageKey, type MessageParams, type Text } from '../platform/i18n/index.ts';
import { cliLocaleNow, out, warn } from './io.ts';

/** The message `key` in the command's language. */
export const tr = (key: MessageKey, params?: MessageParams): string => t(cliLocaleNow(), key, params);

/** One line of standard output from the catalogue. */
export const say = (key: MessageKey, params?: MessageParams): void => out(tr(key, params));

/** One line of standard error from the catalogue. */
export const sayWarn = (key: MessageKey, params?: MessageParams): void => warn(tr(key, params));

/** `text` (a message of the catalogue, or words the same in every language) in the command's language. */
export const trText = (text: Text): string => renderText(cliLocaleNow(), text);

/**
 * The platform's languages: Chinese first, English available. Error messages and the command
 * line's own lines are rendered from one catalogue (messages/*.json, vue-i18n's syntax) in the
 * caller's language; legal documents (notices, decisions, reports) stay in Chinese.
 */
export { DEFAULT_LOCALE, isLocale, LOCALES, localeOfTag, negotiate, type Locale } from './locale.ts';
export {
  MESSAGES,
  msg,
  render,
  renderText,
  t,
  type Message,
  type MessageKey,
  type MessageParams,
  type MessageTree,
  type Text,
} from './catalogue.ts';

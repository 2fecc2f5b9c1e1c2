/**
 * The message catalogue, one JSON file per locale and namespace (a module, the CLI, the HTTP
 * layer) in vue-i18n's message syntax (named interpolation `{field}`; a literal `{`, `}`, `@`, `$` or
 * `|` is written `{'|'}`), so that the web application imports the same files. Rendered here with
 * @intlify/core-base, the engine under vue-i18n.
 */
import {
  compile,
  createCoreContext,
  fallbackWithSimple,
  registerLocaleFallbacker,
  registerMessageCompiler,
  registerMessageResolver,
  resolveValue,
  translate,
  type CoreOptions,
  type LocaleMessage,
} from '@intlify/core-base';
import errorsEn from './messages/en/errors.json' with { type: 'json' };
import httpEn from './messages/en/http.json' with { type: 'json' };
import multipartEn from './messages/en/multipart.json' with { type: 'json' };
import cliEn from './messages/en/cli.json' with { type: 'json' };
import authEn from './messages/en/auth.json' with { type: 'json' };
import auditEn from './messages/en/audit.json' with { type: 'json' };
import catalogEn from './messages/en/catalog.json' with { type: 'json' };
import identifiersEn from './messages/en/identifiers.json' with { type: 'json' };
import ingestEn from './messages/en/ingest.json' with { type: 'json' };
import listsEn from './messages/en/lists.json' with { type: 'json' };
import measuresEn from './messages/en/measures.json' with { type: 'json' };
import disclosureEn from './messages/en/disclosure.json' with { type: 'json' };
import recordsEn from './messages/en/records.json' with { type: 'json' };
import objectionsEn from './messages/en/objections.json' with { type: 'json' };
import attachmentsEn from './messages/en/attachments.json' with { type: 'json' };
import repairsEn from './messages/en/repairs.json' with { type: 'json' };
import commitmentsEn from './messages/en/commitments.json' with { type: 'json' };
import evaluationEn from './messages/en/evaluation.json' with { type: 'json' };
import conductReportsEn from './messages/en/conduct_reports.json' with { type: 'json' };
import inspectionsEn from './messages/en/inspections.json' with { type: 'json' };
import federationEn from './messages/en/federation.json' with { type: 'json' };
import reportsEn from './messages/en/reports.json' with { type: 'json' };
import keysEn from './messages/en/keys.json' with { type: 'json' };
import demoEn from './messages/en/demo.json' with { type: 'json' };
import configEn from './messages/en/config.json' with { type: 'json' };
import errorsZh from './messages/zh-CN/errors.json' with { type: 'json' };
import httpZh from './messages/zh-CN/http.json' with { type: 'json' };
import multipartZh from './messages/zh-CN/multipart.json' with { type: 'json' };
import cliZh from './messages/zh-CN/cli.json' with { type: 'json' };
import authZh from './messages/zh-CN/auth.json' with { type: 'json' };
import auditZh from './messages/zh-CN/audit.json' with { type: 'json' };
import catalogZh from './messages/zh-CN/catalog.json' with { type: 'json' };
import identifiersZh from './messages/zh-CN/identifiers.json' with { type: 'json' };
import ingestZh from './messages/zh-CN/ingest.json' with { type: 'json' };
import listsZh from './messages/zh-CN/lists.json' with { type: 'json' };
import measuresZh from './messages/zh-CN/measures.json' with { type: 'json' };
import disclosureZh from './messages/zh-CN/disclosure.json' with { type: 'json' };
import recordsZh from './messages/zh-CN/records.json' with { type: 'json' };
import objectionsZh from './messages/zh-CN/objections.json' with { type: 'json' };
import attachmentsZh from './messages/zh-CN/attachments.json' with { type: 'json' };
import repairsZh from './messages/zh-CN/repairs.json' with { type: 'json' };
import commitmentsZh from './messages/zh-CN/commitments.json' with { type: 'json' };
import evaluationZh from './messages/zh-CN/evaluation.json' with { type: 'json' };
import conductReportsZh from './messages/zh-CN/conduct_reports.json' with { type: 'json' };
import inspectionsZh from './messages/zh-CN/inspections.json' with { type: 'json' };
import federationZh from './messages/zh-CN/federation.json' with { type: 'json' };
import reportsZh from './messages/zh-CN/reports.json' with { type: 'json' };
import keysZh from './messages/zh-CN/keys.json' with { type: 'json' };
import demoZh from './messages/zh-CN/demo.json' with { type: 'json' };
import configZh from './messages/zh-CN/config.json' with { type: 'json' };
import type { Locale } from './locale.ts';

// core-base leaves its compiler, resolver and fallbacker to be chosen (vue-i18n registers these).
registerMessageCompiler(compile);
registerMessageResolver(resolveValue);
registerLocaleFallbacker(fallbackWithSimple);

/** One locale's catalogue: a file per namespace (messages/<locale>/<namespace>.json), the namespace its first key. */
const zhCN = {
  errors: errorsZh,
  http: httpZh,
  multipart: multipartZh,
  cli: cliZh,
  auth: authZh,
  audit: auditZh,
  catalog: catalogZh,
  identifiers: identifiersZh,
  ingest: ingestZh,
  lists: listsZh,
  measures: measuresZh,
  disclosure: disclosureZh,
  records: recordsZh,
  objections: objectionsZh,
  attachments: attachmentsZh,
  repairs: repairsZh,
  commitments: commitmentsZh,
  evaluation: evaluationZh,
  conduct_reports: conductReportsZh,
  inspections: inspectionsZh,
  federation: federationZh,
  reports: reportsZh,
  keys: keysZh,
  demo: demoZh,
  config: configZh,
};
const en = {
  errors: errorsEn,
  http: httpEn,
  multipart: multipartEn,
  cli: cliEn,
  auth: authEn,
  audit: auditEn,
  catalog: catalogEn,
  identifiers: identifiersEn,
  ingest: ingestEn,
  lists: listsEn,
  measures: measuresEn,
  disclosure: disclosureEn,
  records: recordsEn,
  objections: objectionsEn,
  attachments: attachmentsEn,
  repairs: repairsEn,
  commitments: commitmentsEn,
  evaluation: evaluationEn,
  conduct_reports: conductReportsEn,
  inspections: inspectionsEn,
  federation: federationEn,
  reports: reportsEn,
  keys: keysEn,
  demo: demoEn,
  config: configEn,
};

/** Every locale's messages, the same keys in each (a test holds them to it). */
export const MESSAGES: Readonly<Record<Locale, MessageTree>> = { 'zh-CN': zhCN, en };

export interface MessageTree {
  readonly [key: string]: string | MessageTree;
}

type Paths<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${Paths<T[K]>}`;
}[keyof T & string];

/** A key of the catalogue, dotted: `http.body_size`. */
export type MessageKey = Paths<typeof zhCN>;

/**
 * Values for a message's named placeholders. A value may itself be a message (the cause of a
 * failure, a reason): it is rendered in the same language first.
 */
export type MessageParams = Readonly<Record<string, string | number | Message>>;

/** A message by its key, to be rendered in whichever language the reader asked for. */
export interface Message {
  key: MessageKey;
  params?: MessageParams;
}

const options: CoreOptions<string> = {
  locale: 'zh-CN',
  // A key missing in one locale is a defect the catalogue's test catches; nothing is filled in.
  fallbackLocale: false,
  messages: MESSAGES,
  missingWarn: false,
  fallbackWarn: false,
  // The messages are plain text, never HTML: nothing to warn about or escape.
  warnHtmlMessage: false,
};
// Typed with a fixed locale (not a detector function), as `translate` takes it.
const context = createCoreContext<
  string,
  CoreOptions<string>,
  Record<Locale, LocaleMessage>,
  never,
  never,
  string
>(options);

/** The source of the message `key` in `locale`. */
function source(locale: Locale, key: string): string | MessageTree | undefined {
  let node: string | MessageTree | undefined = MESSAGES[locale];
  for (const part of key.split('.')) {
    node = typeof node === 'object' ? node[part] : undefined;
  }
  return node;
}

/**
 * A message with nothing for the engine to do (no placeholder, nothing escaped, no plural or link:
 * none of `{}@$|`) is its own rendering. Compiling one costs about half a millisecond, and the
 * command line's help alone has a hundred such messages.
 */
const PLAIN = /^[^{}@$|]*$/;

/** The message `key` in `locale`, its placeholders filled from `params`. */
export function t(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  const text = source(locale, key);
  if (typeof text === 'string' && PLAIN.test(text)) {
    return text;
  }
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) {
    values[name] = typeof value === 'object' ? render(locale, value) : value;
  }
  return String(translate(context, key, values, { locale }));
}

/** `message` rendered in `locale`. */
export function render(locale: Locale, message: Message): string {
  return t(locale, message.key, message.params);
}

/** Text that is either written once (a name, a value quoted back) or a message of the catalogue. */
export type Text = string | Message;

/** `text` in `locale`: a message rendered, a plain string as it is. */
export function renderText(locale: Locale, text: Text): string {
  return typeof text === 'string' ? text : render(locale, text);
}

/** A message by its key (typed), for places that build one: `msg('auth.locked', { minutes })`. */
export function msg(key: MessageKey, params?: MessageParams): Message {
  return params === undefined ? { key } : { key, params };
}

/**
 * The closed catalogue of errors. Services throw these and nothing else; the HTTP layer renders
 * them as `{ error, message, field?, value?, rule? }` and the CLI prints the message.
 *
 * A read of something the caller may not see is a NotFoundError with the same body as a missing
 * thing, so that an answer never confirms what the platform holds about whom.
 *
 * An error carries its message as a key of the i18n catalogue (`msg(key, params)`): it is rendered
 * in the caller's language, its `message` in English for logs. A plain string is the same in every
 * language (a value quoted back, words not yet in the catalogue).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { msg, t, type Locale, type Message } from './i18n/index.ts';
import { issueReason, reasonIn, type Reason } from './reasons.ts';

export const ERROR_CODES = [
  'validation_failed',
  'invalid_request',
  'not_found',
  'unauthorized',
  'forbidden',
  'conflict',
  'rule_violation',
  'payload_too_large',
  'uri_too_long',
  'unsupported_media_type',
  'rate_limited',
  'headers_too_large',
  'internal',
  'unavailable',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The body of every error answer; the OpenAPI document publishes it as `ErrorBody`. */
export const ErrorBodySchema = z.object({
  error: z.enum(ERROR_CODES),
  message: z.string(),
  field: z.string().optional().describe('the field at fault, dotted (`records.3.name`)'),
  value: z.unknown().optional().describe('the offending value, never a secret'),
  rule: z.string().optional().describe('the rule broken, e.g. `ingest.file_size`'),
  id: z
    .string()
    .optional()
    .describe(
      "for `internal` and `unavailable`: the id the server's log line carries, to quote to an operator",
    ),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export interface ErrorDetails {
  field?: string;
  value?: unknown;
  rule?: string;
}

export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  abstract readonly status: number;
  readonly field: string | undefined;
  readonly value: unknown;
  readonly rule: string | undefined;
  /** The message in every language (a key of the catalogue, or words per language); undefined: `message` as is. */
  readonly localized: Exclude<Reason, string> | undefined;

  constructor(message: Reason, details: ErrorDetails = {}) {
    super(reasonIn('en', message));
    this.name = new.target.name;
    this.localized = typeof message === 'string' ? undefined : message;
    this.field = details.field;
    this.value = details.value;
    this.rule = details.rule;
  }

  /** The message in `locale`: from the catalogue when it has a key there, else as it was written. */
  messageIn(locale: Locale): string {
    return this.localized === undefined ? this.message : reasonIn(locale, this.localized);
  }

  /** The error's body, its message in `locale` (English when none is given). */
  toBody(locale: Locale = 'en'): ErrorBody {
    const body: ErrorBody = { error: this.code, message: this.messageIn(locale) };
    if (this.field !== undefined) {
      body.field = this.field;
    }
    if (this.value !== undefined && !isSecretField(this.field)) {
      body.value = this.value;
    }
    if (this.rule !== undefined) {
      body.rule = this.rule;
    }
    return body;
  }
}

/** Input that does not have the required shape: the field, the value and the rule are named. */
export class ValidationError extends AppError {
  readonly code = 'validation_failed';
  readonly status = 400;
}

/** Text that cannot be stored (a NUL, a lone surrogate): bad input wherever it arrives. */
export class UnstorableTextError extends ValidationError {}

/** A request the server cannot read at all (malformed JSON, wrong content type). */
export class InvalidRequestError extends AppError {
  readonly code = 'invalid_request';
  readonly status = 400;
}

/** Missing, or not visible to the caller: the two are deliberately indistinguishable. */
export class NotFoundError extends AppError {
  readonly code = 'not_found';
  readonly status = 404;
  constructor(message: string | Message = { key: 'errors.not_found' }) {
    super(message);
  }
}

export class UnauthorizedError extends AppError {
  readonly code = 'unauthorized';
  readonly status = 401;
}

/** The caller can see the thing but a rule forbids the action; the rule is named. */
export class ForbiddenError extends AppError {
  readonly code = 'forbidden';
  readonly status = 403;
}

/** The action conflicts with the current state (a step out of order, a duplicate). */
export class ConflictError extends AppError {
  readonly code = 'conflict';
  readonly status = 409;
}

/** Well-formed input that a business rule refuses; the rule and its basis are named. */
export class RuleViolationError extends AppError {
  readonly code = 'rule_violation';
  readonly status = 422;
}

export class PayloadTooLargeError extends AppError {
  readonly code = 'payload_too_large';
  readonly status = 413;
}

export class UriTooLongError extends AppError {
  readonly code = 'uri_too_long';
  readonly status = 414;
}

/** A body of a kind the route does not read (e.g. JSON sent where a file upload is expected). */
export class UnsupportedMediaTypeError extends AppError {
  readonly code = 'unsupported_media_type';
  readonly status = 415;
}

export class RateLimitedError extends AppError {
  readonly code = 'rate_limited';
  readonly status = 429;
}

/** The request line and headers are larger than the server reads. */
export class HeadersTooLargeError extends AppError {
  readonly code = 'headers_too_large';
  readonly status = 431;
}

/** The platform cannot serve the request now (its database is unreachable); try again later. */
export class UnavailableError extends AppError {
  readonly code = 'unavailable';
  readonly status = 503;
  /** Seconds the client should wait before trying again (the Retry-After header). */
  readonly retryAfter: number;
  constructor(message: string | Message = { key: 'errors.unavailable' }, retryAfter = 5) {
    super(message, { rule: 'service.unavailable' });
    this.retryAfter = retryAfter;
  }
}

/**
 * An unexpected failure. The client is told only that it happened and the id; the cause (which
 * may be a database's own words about its tables) goes to the log line that carries the same id.
 */
export class InternalError extends AppError {
  readonly code = 'internal';
  readonly status = 500;
  readonly id: string;
  constructor(
    message: string | Message = { key: 'errors.internal' },
    options: { id?: string; cause?: unknown } = {},
  ) {
    super(message);
    this.id = options.id ?? randomUUID();
    this.cause = options.cause;
  }

  override toBody(locale?: Locale): ErrorBody {
    return { ...super.toBody(locale), id: this.id };
  }
}

const MAX_ECHOED_LENGTH = 200;

/** Fields whose values are secrets: never echoed in an error, whatever is wrong with them. */
const SECRET_FIELD =
  /(^|\.)(password|newPassword|currentPassword|token|secret|otp|totp|code2fa|secondFactor|second_factor)$/i;

/** Whether the field at `path` (dotted) holds a secret. */
export function isSecretField(path: string | undefined): boolean {
  return path !== undefined && SECRET_FIELD.test(path);
}

/** The offending value as it may be echoed back: primitives only, long strings cut, secrets never. */
export function echoValue(value: unknown, field?: string): unknown {
  if (isSecretField(field)) {
    return undefined;
  }
  if (typeof value === 'string') {
    return value.length > MAX_ECHOED_LENGTH ? `${value.slice(0, MAX_ECHOED_LENGTH)}…` : value;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return value;
  }
  return undefined;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') {
      return undefined;
    }
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Dotted path of a zod issue, `values.3` for the fourth element of `values`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** `reason` about `field` (dotted): "field: reason" in each language; the bare reason for the whole input. */
export function fieldReason(field: string, reason: Reason): Reason {
  if (field === '') {
    return reason;
  }
  if (typeof reason === 'string') {
    return `${field}: ${reason}`;
  }
  return typeof reason === 'function'
    ? (locale) => t(locale, 'errors.field_reason', { field, reason: reason(locale) })
    : msg('errors.field_reason', { field, reason });
}

/**
 * The one adapter from zod to the catalogue: the first issue becomes a ValidationError whose
 * message is "field: reason" (or the bare reason for the whole input), in the reader's language.
 */
export function validationErrorFromZod(issues: readonly z.core.$ZodIssue[], input: unknown): ValidationError {
  const issue = issues[0];
  if (issue === undefined) {
    return new ValidationError(msg('errors.invalid_input'));
  }
  const field = issuePath(issue.path);
  // zod's own words name the value's type: the issue carries it when parsed with `reportInput`.
  const reported: z.core.$ZodIssue =
    'input' in issue ? issue : ({ ...issue, input: valueAt(input, issue.path) } as z.core.$ZodIssue);
  return new ValidationError(fieldReason(field, issueReason(reported)), {
    field: field === '' ? undefined : field,
    value: echoValue(valueAt(input, issue.path), field),
    rule: issue.code,
  });
}

/** Parse with a zod schema, throwing the catalogue's ValidationError on failure. */
export function parseWith<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) {
    throw validationErrorFromZod(result.error.issues, input);
  }
  return result.data;
}

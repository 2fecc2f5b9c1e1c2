/**
 * Which failures mean "the database is not there right now" rather than "this request is wrong":
 * those answer 503 with Retry-After and the platform waits for PostgreSQL to come back, where any
 * other failure is a defect answered 500.
 */

/** SQLSTATE classes and codes of a server that is going away or not accepting connections yet. */
const UNAVAILABLE_STATES = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, a fast shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, shutting down, in recovery
  '57P05', // idle_session_timeout
  '53300', // too_many_connections
  '25006', // read_only_sql_transaction: a standby after a failover
]);

/** Socket-level errors of a connection that could not be made or was cut. */
const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Messages of node-postgres for a connection lost or never made (it sets no code for these). */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Cannot use a pool after calling end on the pool',
  'Connection terminated unexpectedly',
  'the database is unavailable',
];

/**
 * Runs `action`, again after a short pause while the database is unavailable (at most `attempts`
 * times in all): for the few writes that must follow a lost connection, such as a batch saying it
 * failed, when the pool's other connections may be dying of the same cause.
 */
export async function retryWhileUnavailable<T>(
  action: () => Promise<T>,
  attempts = 5,
  pauseMs = 200,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await action();
    } catch (err) {
      if (attempt >= attempts || !isDatabaseUnavailable(err)) {
        throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}

/** Whether `err` says the database cannot be reached now (as opposed to a bad query). */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (err === null || typeof err !== 'object') {
    return false;
  }
  const { code, message, errors, cause } = err as {
    code?: unknown;
    message?: unknown;
    errors?: unknown;
    cause?: unknown;
  };
  if (typeof code === 'string') {
    if (UNAVAILABLE_STATES.has(code) || code.startsWith('08') || UNAVAILABLE_ERRNOS.has(code)) {
      return true;
    }
  }
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.includes(m))) {
    return true;
  }
  // An AggregateError from a connection tried on every address of a host name.
  if (Array.isArray(errors) && errors.some(isDatabaseUnavailable)) {
    return true;
  }
  return cause !== undefined && cause !== err && isDatabaseUnavailable(cause);
}

/** The innermost words of an unavailability, for an operator ("connect ECONNREFUSED 127.0.0.1:5432"). */
export function unavailableCause(err: unknown): string {
  let current: unknown = err;
  for (let depth = 0; depth < 5; depth += 1) {
    const { cause, errors } = (current ?? {}) as { cause?: unknown; errors?: unknown };
    const next = Array.isArray(errors) && errors.length > 0 ? (errors[0] as unknown) : cause;
    if (next === undefined || next === null || next === current) {
      break;
    }
    current = next;
  }
  return current instanceof Error && current.message !== '' ? current.message : String(current);
}

/** A unique index refused a row: `index` names which (SQLSTATE 23505 on PostgreSQL and PGlite). */
export function isUniqueViolation(err: unknown, index: string): boolean {
  if (typeof err !== 'object' || err === null || (err as { code?: unknown }).code !== '23505') {
    return false;
  }
  const e = err as { constraint?: unknown; message?: unknown };
  return String(e.constraint ?? e.message).includes(index);
}

/** Why a command failed, said to the operator in a line or a few, and its exit code. */
import { CommanderError } from 'commander';
import type { Locale } from '../platform/i18n/locale.ts';
import { cliIo, warn } from './io.ts';

/** Says why a command failed, in one line or a few, in `locale`, and gives its exit code. */
export async function reportFailure(err: unknown, locale: Locale): Promise<number> {
  if (err instanceof CommanderError) {
    return err.exitCode;
  }
  const {
    AppError,
    ConfigError,
    DataDirLockedError,
    isDatabaseUnavailable,
    MigrationError,
    unavailableCause,
  } = await import('../platform/index.ts');
  const { StartupRefusedError } = await import('../container.ts');
  const { t } = await import('../platform/i18n/index.ts');
  if (isDatabaseUnavailable(err)) {
    // The operator's own terminal: the cause (refused, reset, timed out) helps, a stack does not.
    warn(t(locale, 'cli.database_unreachable', { cause: unavailableCause(err) }));
    return 4;
  }
  if (err instanceof ConfigError || err instanceof StartupRefusedError) {
    warn(err.messageIn(locale));
    return 2;
  }
  if (err instanceof DataDirLockedError) {
    warn(t(locale, 'cli.error', { message: err.messageIn(locale) }));
    return 2;
  }
  if (err instanceof AppError) {
    warn(t(locale, 'cli.error', { message: err.messageIn(locale) }));
    return 1;
  }
  if (err instanceof MigrationError) {
    warn(t(locale, 'cli.error', { message: err.messageIn(locale) }));
    return 1;
  }
  if (err instanceof Error && 'code' in err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
    warn(t(locale, 'cli.error', { message: err.message }));
    return 1;
  }
  // A defect: said in one line; the stack only when debugging.
  const debugging = ['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '');
  cliIo().stderr(
    `${t(locale, 'cli.unexpected', { message: err instanceof Error ? err.message : String(err) })}\n` +
      (debugging && err instanceof Error ? `${err.stack ?? ''}\n` : `${t(locale, 'cli.debug_hint')}\n`),
  );
  return 1;
}

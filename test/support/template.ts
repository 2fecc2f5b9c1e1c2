import type pg from 'pg';

/**
 * The run's templates: `template` migrated only; `seeded` after a first start of the platform on it
 * (the base catalog, the demo accounts, the shipped lists and measures), with the key files that
 * start made in `seededFiles` — copied with the database, since codes are hashed with the data key.
 */
export type TestDatabaseTemplate = { seededFiles: string } & (
  | { kind: 'pglite'; templateDir: string; seededDir: string }
  | { kind: 'postgresql'; adminUrl: string; template: string; seeded: string }
);

/** The same server URL with another database name. */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Drops a database the run created. Sessions of our own role (a killed process's, say) are ended
 * first; `with (force)` is not used, because a role that is not a superuser may not terminate an
 * autovacuum worker and the drop would fail, whereas a plain drop cancels autovacuum itself.
 */
export async function dropDatabase(admin: pg.Client, name: string): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
       where datname = $1 and pid <> pg_backend_pid() and usename = current_user`,
      [name],
    );
    try {
      await admin.query(`drop database if exists ${name}`);
      return;
    } catch (err) {
      // 55006: still being accessed (a terminated session not gone yet): try again shortly.
      if (attempt >= 40 || (err as { code?: string }).code !== '55006') {
        throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

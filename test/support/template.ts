export type TestDatabaseTemplate =
  { kind: 'pglite'; templateDir: string } | { kind: 'postgresql'; adminUrl: string; template: string };

/** The same server URL with another database name. */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('defaults to the embedded database under ./data and port 3000', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'pglite', dataDir: path.resolve('./data') });
    expect(config.http).toEqual({ host: '127.0.0.1', port: 3000, publicRateLimit: 120, corsOrigins: [] });
    expect(config.abandonedBatchDays).toBe(14);
    expect(loadConfig({ XINYONG_PUBLIC_RATE_LIMIT: '0' }).http.publicRateLimit).toBe(0);
    expect(config.logLevel).toBe('info');
  });

  it('uses PostgreSQL when DATABASE_URL is set, and treats a blank variable as unset', () => {
    expect(
      loadConfig({ DATABASE_URL: 'postgres://u:p@localhost/x', DATABASE_POOL_SIZE: '4' }).database,
    ).toEqual({
      kind: 'postgresql',
      url: 'postgres://u:p@localhost/x',
      poolSize: 4,
    });
    expect(loadConfig({ DATABASE_URL: '', XINYONG_DATA_DIR: '/tmp/x' }).database).toEqual({
      kind: 'pglite',
      dataDir: '/tmp/x',
    });
  });

  it('takes a list of origins allowed to read the API from a browser, and refuses anything else', () => {
    expect(
      loadConfig({ XINYONG_CORS_ORIGINS: 'https://portal.example.gov.cn, http://10.0.0.5:8080' }).http
        .corsOrigins,
    ).toEqual(['https://portal.example.gov.cn', 'http://10.0.0.5:8080']);
    expect(() => loadConfig({ XINYONG_CORS_ORIGINS: '*' })).toThrow(
      /XINYONG_CORS_ORIGINS="\*": a comma-separated list/,
    );
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems.find((p) => p.startsWith('PORT="eighty"'))).toBeDefined();
    expect(
      problems.find((p) => p.startsWith('DATABASE_URL="mysql://x": must be a postgres://')),
    ).toBeDefined();
    expect(problems.find((p) => p.startsWith('LOG_LEVEL="loud"'))).toBeDefined();
  });
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('speaks Chinese unless XINYONG_LANG says English, and refuses a language it does not speak', () => {
    expect(loadConfig({}).locale).toBe('zh-CN');
    expect(loadConfig({ XINYONG_LANG: 'en' }).locale).toBe('en');
    expect(loadConfig({ XINYONG_LANG: '' }).locale).toBe('zh-CN');
    expect(() => loadConfig({ XINYONG_LANG: 'fr' })).toThrow(/XINYONG_LANG="fr"/);
  });

  it('defaults to the embedded database under ./data and port 3000', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'pglite', dataDir: path.resolve('./data') });
    expect(config.http).toEqual({
      host: '127.0.0.1',
      port: 3000,
      publicRateLimit: 120,
      loginRateLimit: 20,
      corsOrigins: [],
      trustProxy: false,
    });
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

  it('adds a read replica beside a PostgreSQL primary, and refuses one without a primary', () => {
    expect(
      loadConfig({ DATABASE_URL: 'postgres://u:p@primary/x', DATABASE_READ_URL: 'postgres://u:p@replica/x' })
        .database,
    ).toEqual({
      kind: 'postgresql',
      url: 'postgres://u:p@primary/x',
      poolSize: 10,
      replica: { url: 'postgres://u:p@replica/x', maxLagMs: 5000 },
    });
    expect(
      loadConfig({
        DATABASE_URL: 'postgres://u:p@primary/x',
        DATABASE_READ_URL: 'postgres://u:p@replica/x',
        DATABASE_READ_MAX_LAG_MS: '500',
      }).database,
    ).toMatchObject({ replica: { maxLagMs: 500 } });
    expect(() => loadConfig({ DATABASE_READ_URL: 'postgres://u:p@replica/x' })).toThrow(
      'DATABASE_READ_URL="postgres://u:p@replica/x": needs DATABASE_URL',
    );
    expect(() =>
      loadConfig({ DATABASE_URL: 'postgres://u:p@primary/x', DATABASE_READ_URL: 'mysql://replica' }),
    ).toThrow('DATABASE_READ_URL="mysql://replica": must be a postgres://');
  });

  it('makes a provincial or national node on PostgreSQL only, a province with its division', () => {
    expect(loadConfig({}).federation).toEqual({ role: 'single' });
    expect(
      loadConfig({
        DATABASE_URL: 'postgres://u:p@h/x',
        XINYONG_NODE: 'provincial',
        XINYONG_DIVISION: '350000',
      }).federation,
    ).toEqual({ role: 'provincial', node: '350000' });
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@h/x', XINYONG_NODE: 'national' }).federation).toEqual({
      role: 'national',
      node: '100000',
    });
    expect(() => loadConfig({ XINYONG_NODE: 'national' })).toThrow(
      'XINYONG_NODE="national": provincial and national nodes need PostgreSQL (DATABASE_URL)',
    );
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u:p@h/x', XINYONG_NODE: 'provincial' })).toThrow(
      'XINYONG_DIVISION="": a provincial node needs its province',
    );
    expect(() =>
      loadConfig({
        DATABASE_URL: 'postgres://u:p@h/x',
        XINYONG_NODE: 'provincial',
        XINYONG_DIVISION: '350100',
      }),
    ).toThrow('XINYONG_DIVISION="350100": must be a province');
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

  it('signs people in by the level-3 figures unless told otherwise', () => {
    expect(loadConfig({}).signIn).toEqual({
      maxFailures: 5,
      lockMinutes: 15,
      passwordMaxAgeDays: 90,
      sessionIdleMinutes: 30,
      requireSecondFactor: 'off',
    });
    expect(loadConfig({ XINYONG_MODE: 'production' }).signIn.requireSecondFactor).toBe('admins');
    expect(
      loadConfig({
        XINYONG_MODE: 'production',
        XINYONG_REQUIRE_2FA: 'off',
        XINYONG_LOGIN_MAX_FAILURES: '3',
        XINYONG_LOGIN_LOCK_MINUTES: '30',
        XINYONG_PASSWORD_MAX_AGE_DAYS: '0',
        XINYONG_SESSION_IDLE_MINUTES: '10',
      }).signIn,
    ).toEqual({
      maxFailures: 3,
      lockMinutes: 30,
      passwordMaxAgeDays: 0,
      sessionIdleMinutes: 10,
      requireSecondFactor: 'off',
    });
    expect(loadConfig({ XINYONG_REQUIRE_2FA: 'all' }).signIn.requireSecondFactor).toBe('all');
    expect(loadConfig({ XINYONG_LOGIN_RATE_LIMIT: '0' }).http.loginRateLimit).toBe(0);
    let error: unknown;
    try {
      loadConfig({ XINYONG_REQUIRE_2FA: 'admin', XINYONG_LOGIN_MAX_FAILURES: '0' });
    } catch (err) {
      error = err;
    }
    expect((error as ConfigError).problems).toEqual([
      'XINYONG_LOGIN_MAX_FAILURES="0": Too small: expected number to be >=1',
      'XINYONG_REQUIRE_2FA="admin": Invalid option: expected one of "admins"|"all"|"off"',
    ]);
  });

  it('believes a reverse proxy only when told which: true, a hop count, or addresses and CIDRs', () => {
    const trust = (value: string) => loadConfig({ XINYONG_TRUST_PROXY: value }).http.trustProxy;
    expect(trust('true')).toBe(true);
    expect(trust('false')).toBe(false);
    expect(trust('1')).toBe(1);
    expect(trust('10.0.0.2, 10.1.0.0/16,::1, fd00::/8,loopback')).toEqual([
      '10.0.0.2',
      '10.1.0.0/16',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
    for (const bad of ['yes', '10.0.0.0/33', '10.0.0.300', 'proxy.example', '10.0.0.1/8/8', '10.0.0.1,']) {
      expect(() => trust(bad), bad).toThrow(
        /XINYONG_TRUST_PROXY=".*": true, a hop count, or a comma-separated list/,
      );
    }
  });

  it('signs audit checkpoints every 60 minutes or 10000 events unless told otherwise; 0 turns a trigger off', () => {
    expect(loadConfig({}).audit.schedule).toEqual({ minutes: 60, events: 10_000 });
    expect(
      loadConfig({ XINYONG_CHECKPOINT_MINUTES: '0', XINYONG_CHECKPOINT_EVENTS: '500' }).audit.schedule,
    ).toEqual({ minutes: 0, events: 500 });
    let error: unknown;
    try {
      loadConfig({ XINYONG_CHECKPOINT_MINUTES: 'hourly', XINYONG_CHECKPOINT_EVENTS: '-1' });
    } catch (err) {
      error = err;
    }
    expect((error as ConfigError).problems).toEqual([
      'XINYONG_CHECKPOINT_MINUTES="hourly": Invalid input: expected number, received NaN',
      'XINYONG_CHECKPOINT_EVENTS="-1": Too small: expected number to be >=0',
    ]);
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

  it('names every bad variable in the language asked for', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: '80.5', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    const refused = error as ConfigError;
    expect(refused.messageIn('en')).toBe(refused.message);
    expect(refused.message).toBe(
      [
        'Invalid configuration:',
        '  - DATABASE_URL="mysql://x": must be a postgres:// or postgresql:// connection string',
        '  - PORT="80.5": must be a whole number',
        '  - LOG_LEVEL="loud": Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent"',
      ].join('\n'),
    );
    expect(refused.messageIn('zh-CN')).toBe(
      [
        '配置无效：',
        '  - DATABASE_URL="mysql://x"：须为 postgres:// 或 postgresql:// 连接字符串',
        '  - PORT="80.5"：须为整数',
        '  - LOG_LEVEL="loud"：无效选项：期望以下之一 "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent"',
      ].join('\n'),
    );
  });
});

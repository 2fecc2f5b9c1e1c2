import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../../../test/support/cli.ts';
import { hashPassword, verifyPassword } from './auth.secrets.ts';

describe('password hashes', () => {
  it('are argon2id at 64 MiB and 3 passes outside the test suite', () => {
    // A fresh process: the suite itself hashes cheaply (test/support/setup.ts).
    const secrets = path.resolve('src/modules/auth/auth.secrets.ts');
    const run = spawnSync(
      process.execPath,
      [
        CLI[0] as string,
        CLI[1] as string,
        '--input-type=module',
        '-e',
        `const { hashPassword } = await import(${JSON.stringify(secrets)}); process.stdout.write(await hashPassword('a long enough password'));`,
      ],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^\$argon2id\$v=19\$m=65536,p=4,t=3\$/);
  });

  it('verify whatever parameters made them', async () => {
    const hash = await hashPassword('a long enough password');
    expect(await verifyPassword(hash, 'a long enough password')).toBe(true);
    expect(await verifyPassword(hash, 'a long enough passwore')).toBe(false);
  });
});

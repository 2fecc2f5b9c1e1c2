/**
 * The key registry: the platform key file of before is adopted as it is (its old checkpoints still
 * verify); a deployment configured for SM2 signs with an SM2 key whose published half verifies
 * with the standard user ID; retiring the signing key makes a new one; only an administrator
 * manages keys, and what the public sees of them is only public keys.
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { sessionCookie } from '../../../test/support/session.ts';
import { canonicalJson, sm2Verify } from '../../platform/index.ts';
import type { Actor } from '../auth/index.ts';
import { checkSignature, type PublishedKey } from './index.ts';

const ADMIN: Actor = { kind: 'system', name: 'test' };

describe('a platform that signed before the registry', () => {
  let t: TestApp;
  let keyId: string;
  beforeAll(async () => {
    t = await createTestApp({
      configure: (config) => {
        // The platform key file as an earlier version wrote it, with a checkpoint it signed.
        const { privateKey, publicKey } = generateKeyPairSync('ed25519');
        const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
        const der = publicKey.export({ type: 'spki', format: 'der' });
        keyId = createHash('sha256').update(der).digest('hex').slice(0, 16);
        writeFileSync(config.audit.keyFile, pem, { mode: 0o600 });
        return config;
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('adopts the key file as it is: its key ID and its checkpoints stay valid', async () => {
    const cp = await t.container.audit.checkpoint(ADMIN);
    expect(cp.keyId).toBe(keyId);
    const keys = await t.container.keys.list();
    expect(keys).toEqual([
      expect.objectContaining({ keyId, algorithm: 'ed25519', status: 'active', validUntil: null }),
    ]);
    expect(await t.container.audit.verify()).toMatchObject({ ok: true });
  });

  it('makes a new signing key when the one in force is retired, and still verifies the old checkpoints', async () => {
    await t.container.keys.retire(ADMIN, keyId);
    const cp = await t.container.audit.checkpoint(ADMIN);
    expect(cp.keyId).not.toBe(keyId);
    expect(await t.container.audit.verify()).toMatchObject({ ok: true, checkpoints: 2 });
    const keys = await t.container.keys.list();
    expect(keys.find((k) => k.keyId === keyId)?.status).toBe('retired');
    expect(keys.find((k) => k.keyId === cp.keyId)?.status).toBe('active');
  });

  it('fails a checkpoint whose key is revoked, naming the key', async () => {
    await t.container.keys.revoke(ADMIN, keyId, '密钥文件外泄');
    const result = await t.container.audit.verify();
    expect(result).toMatchObject({ ok: false });
    expect(JSON.stringify(result)).toContain(keyId);
    expect(JSON.stringify(result)).toContain('密钥文件外泄');
  });

  it('lets only an administrator manage keys, and refuses what does not exist with a clear answer', async () => {
    const session = (username: string) => sessionCookie(t.app, username);

    const rotate = (cookie?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/keys/rotation',
        headers: cookie === undefined ? {} : { cookie },
      });
    expect((await rotate()).statusCode).toBe(401);
    expect((await rotate(await session('auditor'))).statusCode).toBe(403);
    const admin = await session('admin');
    const rotated = await rotate(admin);
    expect(rotated.statusCode).toBe(201);
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/keys/0123456789abcdef/retirement',
      headers: { cookie: admin },
    });
    expect(missing.statusCode).toBe(404);
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/keys/${keyId}/revocation`,
      headers: { cookie: admin },
      payload: { reason: 'again' },
    });
    expect(again.statusCode).toBe(409);
    const listed = await t.app.inject({ method: 'GET', url: '/api/public/keys' });
    expect(listed.body).not.toMatch(/PRIVATE KEY/);
  });
});

describe('a deployment that must use commercial cryptography (SM2)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      configure: (config) => ({ ...config, keys: { ...config.keys, algorithm: 'sm2' } }),
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('signs checkpoints and reports with an SM2 key that verifies with the standard user ID', async () => {
    const cp = await t.container.audit.checkpoint(ADMIN);
    const keys: PublishedKey[] = await t.container.keys.list();
    const key = keys.find((k) => k.keyId === cp.keyId);
    expect(key).toMatchObject({ algorithm: 'sm2', userId: '1234567812345678', status: 'active' });
    expect(key?.publicKey).toMatch(/^04[0-9a-f]{128}$/);
    const body = canonicalJson({ seq: cp.seq, hash: cp.hash, signedAt: cp.signedAt });
    expect(sm2Verify(key?.publicKey ?? '', body, Buffer.from(cp.signature, 'base64').toString('hex'))).toBe(
      true,
    );
    expect(checkSignature(keys, { keyId: cp.keyId, text: `${body} `, signature: cp.signature }).ok).toBe(
      false,
    );
    // The private half is a file of the owner's only.
    const file = path.join(t.container.config.keys.dir, `${cp.keyId}.sm2.json`);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(await t.container.audit.verify()).toMatchObject({ ok: true });
  });

  it('trusts no key that was only written into the database', async () => {
    // Someone with write access to the database, not to the key folder, registers a key of theirs.
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const der = publicKey.export({ type: 'spki', format: 'der' });
    const forgedId = createHash('sha256').update(der).digest('hex').slice(0, 16);
    await t.container.database.db
      .insertInto('signing_key')
      .values({ key_id: forgedId, algorithm: 'ed25519', public_key: pem, valid_from: new Date(0) })
      .execute();
    const head = await t.container.audit.seal();
    const body = { seq: head.seq, hash: head.hash, signedAt: new Date().toISOString() };
    const signature = sign(null, Buffer.from(canonicalJson(body)), privateKey).toString('base64');
    await fs.appendFile(
      t.container.config.audit.checkpointFile,
      `${JSON.stringify({ ...body, keyId: forgedId, signature })}\n`,
    );
    expect((await t.container.keys.list()).map((k) => k.keyId)).not.toContain(forgedId);
    const result = await t.container.audit.verify();
    expect(result).toMatchObject({ ok: false });
    expect(JSON.stringify(result)).toContain(forgedId);
  });

  it('finds a forged signature by a key the registry does not know', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const forged = sign(null, Buffer.from('x'), privateKey).toString('base64');
    expect(checkSignature([], { keyId: 'ffffffffffffffff', text: 'x', signature: forged })).toEqual({
      ok: false,
      problem: 'unknown_key',
    });
  });
});

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invert } from '@noble/curves/abstract/modular';
import { weierstrassN } from '@noble/curves/abstract/weierstrass';
import { describe, it, expect } from 'vitest';
import { SM2_USER_ID, generateSm2KeyPair, sm2Sign, sm2Verify, sm3Hex } from './sm2.ts';

/** Second, independent implementation (JuneAndGreen's sm-crypto: jsbn arithmetic, its own SM3). */
interface SmCryptoV1 {
  sm2: {
    generateKeyPairHex(): { privateKey: string; publicKey: string };
    doSignature(
      msg: string | Uint8Array,
      privateKey: string,
      options: { hash: boolean; userId: string; publicKey?: string },
    ): string;
    doVerifySignature(
      msg: string | Uint8Array,
      signHex: string,
      publicKey: string,
      options: { hash: boolean; userId: string },
    ): boolean;
  };
  sm3(input: string | Uint8Array): string;
}
const smCryptoV1 = createRequire(import.meta.url)('sm-crypto') as SmCryptoV1;

/** Hex as printed in the standards (upper case, grouped in 32-bit words) to a bigint. */
const big = (words: string): bigint => BigInt(`0x${words.replace(/\s+/g, '')}`);
const hex32 = (x: bigint): string => x.toString(16).padStart(64, '0');
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

interface CurveParams {
  p: bigint;
  a: bigint;
  b: bigint;
  n: bigint;
  h: bigint;
  Gx: bigint;
  Gy: bigint;
}

/**
 * Reference SM2 signing/verification written from GB/T 32918.2-2016 on top of @noble/curves' generic
 * short-Weierstrass arithmetic, for any curve, with the caller's k. SM3 comes from the production
 * module (itself pinned to the GB/T 32905 vectors below).
 */
function referenceSm2(curve: CurveParams) {
  const Point = weierstrassN(curve);
  const { n } = curve;
  const mod = (x: bigint): bigint => ((x % n) + n) % n;
  const publicPoint = (d: bigint) => Point.BASE.multiply(d);
  const publicKeyHex = (d: bigint): string => {
    const { x, y } = publicPoint(d).toAffine();
    return `04${hex32(x)}${hex32(y)}`;
  };
  const zA = (id: Uint8Array, x: bigint, y: bigint): string => {
    const entl = id.length * 8;
    const fields = [curve.a, curve.b, curve.Gx, curve.Gy, x, y].map(hex32).join('');
    return sm3Hex(Buffer.concat([Buffer.from([entl >> 8, entl & 0xff]), id, Buffer.from(fields, 'hex')]));
  };
  const digest = (id: Uint8Array, x: bigint, y: bigint, message: Uint8Array): bigint =>
    BigInt(`0x${sm3Hex(Buffer.concat([Buffer.from(zA(id, x, y), 'hex'), message]))}`);

  const sign = (d: bigint, k: bigint, id: Uint8Array, message: Uint8Array) => {
    const { x, y } = publicPoint(d).toAffine();
    const e = digest(id, x, y, message);
    const x1 = Point.BASE.multiply(k).toAffine().x;
    const r = mod(e + x1);
    const s = mod(invert(1n + d, n) * (k - r * d));
    if (r === 0n || r + k === n || s === 0n) {
      throw new Error('retry with another k');
    }
    return { e, x1, r, s, signature: hex32(r) + hex32(s) };
  };

  const verify = (publicKey: string, id: Uint8Array, message: Uint8Array, signature: string): boolean => {
    const r = BigInt(`0x${signature.slice(0, 64)}`);
    const s = BigInt(`0x${signature.slice(64)}`);
    if (r < 1n || r >= n || s < 1n || s >= n) {
      return false;
    }
    const PA = Point.fromHex(publicKey);
    const { x, y } = PA.toAffine();
    const t = mod(r + s);
    if (t === 0n) {
      return false;
    }
    const sum = Point.BASE.multiply(s).add(PA.multiply(t));
    return !sum.is0() && mod(digest(id, x, y, message) + sum.toAffine().x) === r;
  };

  return { Point, publicKeyHex, zA, sign, verify };
}

/** The recommended curve sm2p256v1 (GB/T 32918.5-2017 / GM/T 0003.5-2012). */
const SM2P256V1: CurveParams = {
  p: big('FFFFFFFE FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF 00000000 FFFFFFFF FFFFFFFF'),
  a: big('FFFFFFFE FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF 00000000 FFFFFFFF FFFFFFFC'),
  b: big('28E9FA9E 9D9F5E34 4D5A9E4B CF6509A7 F39789F5 15AB8F92 DDBCBD41 4D940E93'),
  n: big('FFFFFFFE FFFFFFFF FFFFFFFF FFFFFFFF 7203DF6B 21C6052B 53BBF409 39D54123'),
  h: 1n,
  Gx: big('32C4AE2C 1F198119 5F990446 6A39C994 8FE30BBF F2660BE1 715A4589 334C74C7'),
  Gy: big('BC3736A2 F4F6779C 59BDCEE3 6B692153 D0A9877C C62A4740 02DF32E5 2139F0A0'),
};
const recommended = referenceSm2(SM2P256V1);

// Known answer on the recommended curve, ID "1234567812345678", message "message digest": the sm2p256v1
// signature example used by OpenSSL's test/sm2_internal_test.c (quoted from memory, not from a local copy; the
// reference path reproducing all 512 bits of (r, s) from d and k is what vouches for it).
const KAT = {
  d: big('3945208F 7B2144B1 3F36E38A C6D39F95 88939369 2860B51A 42FB81EF 4DF7C5B8'),
  k: big('59276E27 D506861A 16680F3A D9C02DCC EF3CC1FA 3CDBE4CE 6D54B80D EAC1BC21'),
  signature: (
    'F5A03B06 48D2C463 0EEAC513 E1BB81A1 5944DA38 27D5B741 43AC7EAC EEE720B3' +
    'B1B6AA29 DF212FD8 763182BC 0D421CA1 BB9038FD 1F7F42D4 840B69C4 85BBC1AA'
  )
    .replace(/\s+/g, '')
    .toLowerCase(),
};

const randomScalar = (): bigint => {
  for (;;) {
    const x = BigInt(`0x${randomBytes(32).toString('hex')}`);
    if (x >= 1n && x <= SM2P256V1.n - 2n) {
      return x;
    }
  }
};

describe('SM3 (GB/T 32905-2016 Appendix A)', () => {
  it('hashes the standard examples, agreeing with the second implementation', () => {
    const abc = '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0';
    const abcd16 = 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732';
    expect(sm3Hex('abc')).toBe(abc);
    expect(sm3Hex(utf8('abc'))).toBe(abc);
    expect(smCryptoV1.sm3('abc')).toBe(abc);
    expect(sm3Hex('abcd'.repeat(16))).toBe(abcd16);
    expect(smCryptoV1.sm3('abcd'.repeat(16))).toBe(abcd16);
  });

  it('encodes strings as UTF-8', () => {
    expect(sm3Hex('信用报告')).toBe(sm3Hex(utf8('信用报告')));
    expect(sm3Hex('信用报告')).toBe(smCryptoV1.sm3('信用报告'));
  });
});

describe('GB/T 32918.2-2016 / GM/T 0003.2-2012 Appendix A worked example (example curve Fp-256)', () => {
  const exampleCurve: CurveParams = {
    p: big('8542D69E 4C044F18 E8B92435 BF6FF7DE 45728391 5C45517D 722EDB8B 08F1DFC3'),
    a: big('787968B4 FA32C3FD 2417842E 73BBFEFF 2F3C848B 6831D7E0 EC65228B 3937E498'),
    b: big('63E4C6D3 B23B0C84 9CF84241 484BFE48 F61D59A5 B16BA06E 6E12D1DA 27C5249A'),
    n: big('8542D69E 4C044F18 E8B92435 BF6FF7DD 29772063 0485628D 5AE74EE7 C32E79B7'),
    h: 1n,
    Gx: big('421DEBD6 1B62EAB6 746434EB C3CC315E 32220B3B ADD50BDC 4C4E6C14 7FEDD43D'),
    Gy: big('0680512B CBB42C07 D47349D2 153B70C4 E5D7FDFC BFA36EA1 A85841B9 E46E09A2'),
  };
  const id = utf8('ALICE123@YAHOO.COM');
  const message = utf8('message digest');
  const dA = big('128B2FA8 BD433C6C 068C8D80 3DFF7979 2A519A55 171B1B65 0C23661D 15897263');
  const k = big('6CB28D99 385C175C 94F94E93 4817663F C176D925 DD72B727 260DBAAE 1FB2F96F');
  const xA = big('0AE4C779 8AA0F119 471BEE11 825BE462 02BB79E2 A5844495 E97C04FF 4DF2548A');
  const yA = big('7C0240F8 8F1CD4E1 6352A73C 17B7F16F 07353E53 A176D684 A9FE0C6B B798E857');
  const example = referenceSm2(exampleCurve);

  it('has a generator of order n (weierstrassN also rejects a G that is off the curve)', () => {
    const { BASE } = example.Point;
    expect(
      BASE.multiply(exampleCurve.n - 1n)
        .add(BASE)
        .is0(),
    ).toBe(true);
  });

  it('reproduces P_A, Z_A, e, x1, r and s exactly', () => {
    expect(example.publicKeyHex(dA)).toBe(`04${hex32(xA)}${hex32(yA)}`);
    expect(example.zA(id, xA, yA)).toBe(
      hex32(big('F4A38489 E32B45B6 F876E3AC 2168CA39 2362DC8F 23459C1D 1146FC3D BFB7BC9A')),
    );
    const { e, x1, r, s, signature } = example.sign(dA, k, id, message);
    expect(e).toBe(big('B524F552 CD82B8B0 28476E00 5C377FB1 9A87E6FC 682D48BB 5D42E3D9 B9EFFE76'));
    expect(x1).toBe(big('110FCDA5 7615705D 5E7B9324 AC4B856D 23E6D918 8B2AE477 59514657 CE25D112'));
    expect(r).toBe(big('40F1EC59 F793D9F4 9E09DCEF 49130D41 94F79FB1 EED2CAA5 5BACDB49 C4E755D1'));
    expect(s).toBe(big('6FC6DAC3 2C5D5CF1 0C77DFB2 0F7C2EB6 67A45787 2FB09EC5 6327A67E C7DEEBE7'));
    const publicKey = example.publicKeyHex(dA);
    expect(example.verify(publicKey, id, message, signature)).toBe(true);
    expect(example.verify(publicKey, id, utf8('message digesT'), signature)).toBe(false);
    expect(example.verify(publicKey, utf8('ALICE123@YAHOO.CON'), message, signature)).toBe(false);
  });
});

describe('production sm2Sign / sm2Verify are standard SM2 on sm2p256v1 with ID 1234567812345678', () => {
  it('uses the standard user ID', () => {
    expect(SM2_USER_ID).toBe('1234567812345678');
  });

  it('derives public keys on the recommended curve', () => {
    const { privateKeyHex, publicKeyHex } = generateSm2KeyPair();
    expect(privateKeyHex).toMatch(/^[0-9a-f]{64}$/);
    expect(publicKeyHex).toMatch(/^04[0-9a-f]{128}$/);
    expect(recommended.publicKeyHex(BigInt(`0x${privateKeyHex}`))).toBe(publicKeyHex);
  });

  it('matches the known-answer signature on sm2p256v1', () => {
    const publicKey = recommended.publicKeyHex(KAT.d);
    const { signature } = recommended.sign(KAT.d, KAT.k, utf8(SM2_USER_ID), utf8('message digest'));
    expect(signature).toBe(KAT.signature);
    expect(sm2Verify(publicKey, 'message digest', KAT.signature)).toBe(true);
    const options = { hash: true, userId: SM2_USER_ID };
    expect(smCryptoV1.sm2.doVerifySignature('message digest', KAT.signature, publicKey, options)).toBe(true);
    expect(sm2Verify(publicKey, 'message digesT', KAT.signature)).toBe(false);
  });

  it('rejects signatures made with another user ID', () => {
    const d = randomScalar();
    const publicKey = recommended.publicKeyHex(d);
    const message = utf8('report 42');
    for (const id of ['', 'ALICE123@YAHOO.COM', '1234567812345679']) {
      const { signature } = recommended.sign(d, randomScalar(), utf8(id), message);
      expect(sm2Verify(publicKey, message, signature)).toBe(false);
    }
  });

  it('agrees with the reference path in both directions, with fixed and random k', () => {
    for (let i = 0; i < 5; i++) {
      const { privateKeyHex, publicKeyHex } = generateSm2KeyPair();
      const d = BigInt(`0x${privateKeyHex}`);
      const message = randomBytes(i * 37);
      const fixed = recommended.sign(d, randomScalar(), utf8(SM2_USER_ID), message);
      expect(sm2Verify(publicKeyHex, message, fixed.signature)).toBe(true);
      const produced = sm2Sign(privateKeyHex, message);
      expect(recommended.verify(publicKeyHex, utf8(SM2_USER_ID), message, produced)).toBe(true);
    }
  });
});

describe('sm2Sign / sm2Verify', () => {
  const { privateKeyHex, publicKeyHex } = generateSm2KeyPair();
  const message = utf8('{"report":"信用报告","score":712}');

  it('round-trips, with raw r || s hex output and a fresh k per signature', () => {
    const a = sm2Sign(privateKeyHex, message);
    const b = sm2Sign(privateKeyHex, message);
    expect(a).toMatch(/^[0-9a-f]{128}$/);
    expect(a).not.toBe(b);
    expect(sm2Verify(publicKeyHex, message, a)).toBe(true);
    expect(sm2Verify(publicKeyHex, message, b)).toBe(true);
    expect(sm2Verify(publicKeyHex.toUpperCase(), message, a.toUpperCase())).toBe(true);
    expect(sm2Verify(publicKeyHex, new Uint8Array(0), sm2Sign(privateKeyHex, ''))).toBe(true);
  });

  it('treats a string as its UTF-8 bytes', () => {
    const text = '{"report":"信用报告","score":712}';
    expect(sm2Verify(publicKeyHex, message, sm2Sign(privateKeyHex, text))).toBe(true);
    expect(sm2Verify(publicKeyHex, text, sm2Sign(privateKeyHex, message))).toBe(true);
    expect(sm2Verify(publicKeyHex, Buffer.from(text, 'utf8'), sm2Sign(privateKeyHex, text))).toBe(true);
  });

  it('fails when any message byte changes', () => {
    const signature = sm2Sign(privateKeyHex, message);
    for (const index of [0, 7, message.length - 1]) {
      const changed = Uint8Array.from(message);
      changed[index] = (message[index] ?? 0) ^ 0x01;
      expect(sm2Verify(publicKeyHex, changed, signature)).toBe(false);
    }
    expect(sm2Verify(publicKeyHex, message.subarray(1), signature)).toBe(false);
  });

  it('fails when the signature or key changes', () => {
    const signature = sm2Sign(privateKeyHex, message);
    for (const index of [0, 31, 63, 64, 100, 127]) {
      const digit = signature[index] === '0' ? '1' : '0';
      const changed = signature.slice(0, index) + digit + signature.slice(index + 1);
      expect(sm2Verify(publicKeyHex, message, changed)).toBe(false);
    }
    expect(sm2Verify(generateSm2KeyPair().publicKeyHex, message, signature)).toBe(false);
  });

  it('returns false, without throwing, for malformed input', () => {
    const signature = sm2Sign(privateKeyHex, message);
    const n = hex32(SM2P256V1.n);
    const x = publicKeyHex.slice(2, 66);
    const lastDigit = publicKeyHex.endsWith('0') ? '1' : '0';
    const badKeys = [
      '',
      'zz',
      publicKeyHex.slice(2), // missing 04
      `02${x}`, // compressed
      `${publicKeyHex}00`,
      publicKeyHex.slice(0, -1) + lastDigit, // off the curve
      `04${'0'.repeat(128)}`,
      `04${'g'.repeat(128)}`,
      null as unknown as string,
      42 as unknown as string,
    ];
    for (const key of badKeys) {
      expect(sm2Verify(key, message, signature)).toBe(false);
    }
    const badSignatures = [
      '',
      signature.slice(0, 127),
      `${signature}00`,
      `${'x'.repeat(64)}${signature.slice(64)}`,
      ` ${signature.slice(1)}`,
      `${'0'.repeat(64)}${signature.slice(64)}`, // r = 0
      `${signature.slice(0, 64)}${'0'.repeat(64)}`, // s = 0
      `${n}${signature.slice(64)}`, // r = n
      `${signature.slice(0, 64)}${n}`, // s = n
      derSignature(signature).toString('hex'),
      undefined as unknown as string,
    ];
    for (const bad of badSignatures) {
      expect(sm2Verify(publicKeyHex, message, bad)).toBe(false);
    }
    expect(sm2Verify(publicKeyHex, 42 as unknown as string, signature)).toBe(false);
    expect(sm2Verify(publicKeyHex, null as unknown as string, signature)).toBe(false);
  });

  it('refuses to sign with an invalid private key', () => {
    for (const key of [
      '',
      '00'.repeat(32),
      hex32(SM2P256V1.n - 1n),
      hex32(SM2P256V1.n),
      'g'.repeat(64),
      '01',
    ]) {
      expect(() => sm2Sign(key, message)).toThrow(TypeError);
    }
  });
});

describe('cross-check with sm-crypto (independent implementation)', () => {
  it('sm-crypto verifies sm2Sign signatures', () => {
    for (let i = 0; i < 5; i++) {
      const { privateKeyHex, publicKeyHex } = generateSm2KeyPair();
      const text = `信用报告 #${i}`;
      const bytes = randomBytes(1 + i * 50);
      const options = { hash: true, userId: SM2_USER_ID };
      expect(
        smCryptoV1.sm2.doVerifySignature(text, sm2Sign(privateKeyHex, text), publicKeyHex, options),
      ).toBe(true);
      expect(
        smCryptoV1.sm2.doVerifySignature(bytes, sm2Sign(privateKeyHex, bytes), publicKeyHex, options),
      ).toBe(true);
    }
  });

  it('sm2Verify accepts sm-crypto signatures', () => {
    for (let i = 0; i < 5; i++) {
      const { privateKey, publicKey } = smCryptoV1.sm2.generateKeyPairHex();
      const text = `信用报告 #${i}`;
      const bytes = randomBytes(1 + i * 50);
      const options = { hash: true, userId: SM2_USER_ID };
      expect(sm2Verify(publicKey, text, smCryptoV1.sm2.doSignature(text, privateKey, options))).toBe(true);
      expect(sm2Verify(publicKey, bytes, smCryptoV1.sm2.doSignature(bytes, privateKey, options))).toBe(true);
      expect(sm2Verify(publicKey, 'other', smCryptoV1.sm2.doSignature(text, privateKey, options))).toBe(
        false,
      );
    }
  });
});

// ---- OpenSSL 3 interop (skipped when the local openssl has no SM2) ----

/** SubjectPublicKeyInfo header: id-ecPublicKey with named curve SM2 (1.2.156.10197.1.301). */
const SPKI_SM2_PREFIX = '3059301306072a8648ce3d020106082a811ccf5501822d034200';
const OPENSSL_DISTID = `distid:${SM2_USER_ID}`;

function derInteger(x: bigint): Buffer {
  const digits = x.toString(16);
  let body = Buffer.from(digits.length % 2 === 0 ? digits : `0${digits}`, 'hex');
  if (body.readUInt8(0) & 0x80) {
    body = Buffer.concat([Buffer.from([0]), body]);
  }
  return Buffer.concat([Buffer.from([0x02, body.length]), body]);
}

function derSignature(signature: string): Buffer {
  const body = Buffer.concat([
    derInteger(BigInt(`0x${signature.slice(0, 64)}`)),
    derInteger(BigInt(`0x${signature.slice(64)}`)),
  ]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

function rawSignature(der: Buffer): string {
  expect(der.readUInt8(0)).toBe(0x30);
  expect(der.readUInt8(1)).toBe(der.length - 2);
  const parts: string[] = [];
  let offset = 2;
  for (let i = 0; i < 2; i++) {
    expect(der.readUInt8(offset)).toBe(0x02);
    const length = der.readUInt8(offset + 1);
    const value = BigInt(`0x${der.subarray(offset + 2, offset + 2 + length).toString('hex')}`);
    parts.push(hex32(value));
    offset += 2 + length;
  }
  expect(offset).toBe(der.length);
  return parts.join('');
}

function publicKeyPem(publicKeyHex: string): string {
  const base64 = Buffer.from(SPKI_SM2_PREFIX + publicKeyHex, 'hex').toString('base64');
  return `-----BEGIN PUBLIC KEY-----\n${base64.match(/.{1,64}/g)?.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

const opensslHasSm2 = ((): boolean => {
  const version = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  if (version.status !== 0 || !/^OpenSSL 3\./.test(version.stdout)) {
    return false;
  }
  const key = spawnSync('openssl', ['genpkey', '-algorithm', 'SM2'], { encoding: 'utf8' });
  return key.status === 0 && key.stdout.includes('PRIVATE KEY');
})();

function withTempDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'sm2-test-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function openssl(args: string[]): { ok: boolean; output: string } {
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

describe('OpenSSL 3 interop', () => {
  it.skipIf(!opensslHasSm2)('openssl verifies sm2Sign signatures with distid 1234567812345678 only', () => {
    withTempDir((dir) => {
      const { privateKeyHex, publicKeyHex } = generateSm2KeyPair();
      const cases = [
        { key: publicKeyHex, message: utf8('信用报告 v1'), signature: sm2Sign(privateKeyHex, '信用报告 v1') },
        { key: recommended.publicKeyHex(KAT.d), message: utf8('message digest'), signature: KAT.signature },
      ];
      for (const [i, { key, message, signature }] of cases.entries()) {
        writeFileSync(join(dir, `pub${i}.pem`), publicKeyPem(key));
        writeFileSync(join(dir, `msg${i}.bin`), message);
        writeFileSync(join(dir, `sig${i}.der`), derSignature(signature));
        const verify = (distid: string) =>
          openssl([
            'pkeyutl',
            '-verify',
            '-pubin',
            '-inkey',
            join(dir, `pub${i}.pem`),
            '-rawin',
            '-digest',
            'sm3',
            '-in',
            join(dir, `msg${i}.bin`),
            '-sigfile',
            join(dir, `sig${i}.der`),
            '-pkeyopt',
            distid,
          ]);
        const good = verify(OPENSSL_DISTID);
        expect(good.output).toContain('Signature Verified Successfully');
        expect(good.ok).toBe(true);
        expect(verify('distid:ALICE123@YAHOO.COM').ok).toBe(false);
      }
    });
  });

  it.skipIf(!opensslHasSm2)(
    'sm2Verify accepts signatures made by openssl with distid 1234567812345678',
    () => {
      withTempDir((dir) => {
        const keyFile = join(dir, 'key.pem');
        const msgFile = join(dir, 'msg.bin');
        const sigFile = join(dir, 'sig.der');
        const pubFile = join(dir, 'pub.der');
        expect(openssl(['genpkey', '-algorithm', 'SM2', '-out', keyFile]).ok).toBe(true);
        expect(openssl(['pkey', '-in', keyFile, '-pubout', '-outform', 'DER', '-out', pubFile]).ok).toBe(
          true,
        );
        const spki = readFileSync(pubFile).toString('hex');
        expect(spki.startsWith(SPKI_SM2_PREFIX)).toBe(true);
        const publicKeyHex = spki.slice(SPKI_SM2_PREFIX.length);
        const message = randomBytes(300);
        writeFileSync(msgFile, message);
        const sign = openssl([
          'pkeyutl',
          '-sign',
          '-inkey',
          keyFile,
          '-rawin',
          '-digest',
          'sm3',
          '-in',
          msgFile,
          '-out',
          sigFile,
          '-pkeyopt',
          OPENSSL_DISTID,
        ]);
        expect(sign.ok).toBe(true);
        const signature = rawSignature(readFileSync(sigFile));
        expect(sm2Verify(publicKeyHex, message, signature)).toBe(true);
        expect(sm2Verify(publicKeyHex, message.subarray(1), signature)).toBe(false);
      });
    },
  );
});

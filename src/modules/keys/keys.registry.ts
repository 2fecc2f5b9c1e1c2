/**
 * The key registry: which key signs now, and every public key with its validity, so that what was
 * signed years ago (reports, audit checkpoints and archives) still verifies after keys rotate.
 *
 * Private keys are files outside the database, readable by the owner only: the first Ed25519 key is
 * the platform key file (the audit key before the registry, adopted as it is); later keys are
 * `<keyId>.ed25519.pem` or `<keyId>.sm2.json` beside it. A process signs with the newest key in
 * force whose private half it holds, and makes one (registered at once) when it holds none.
 *
 * The registry's rows are not trusted on their own word: a key is published, and verifies
 * anything, only when it is anchored outside the database — its public half written beside the
 * private keys (`<keyId>.pub`, written when the key is made) or its private half there — and its
 * row's public key is the one its ID names. Someone who can write to the database but not to the
 * key folder cannot add a key that the audit or a report would trust. Servers that share a
 * database share this folder.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/index.ts';
import {
  checkSignature,
  generateKey,
  keyIdOf,
  materialOf,
  signerOf,
  type KeyMaterial,
} from './keys.crypto.ts';
import { KeysRepository, published, type KeyRow } from './keys.repository.ts';
import type { Algorithm, PublishedKey, SignatureCheck, Signer } from './keys.types.ts';

export interface KeyOptions {
  /** The platform key file (Ed25519, PKCS#8 PEM): adopted as the first key. */
  keyFile: string;
  /** Where further keys' private halves are kept (default: the key file's folder). */
  dir?: string;
  /** The algorithm that signs (default Ed25519). */
  algorithm?: Algorithm;
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw err;
  }
}

export class KeyRegistry {
  private readonly signers = new Map<string, Signer>();
  /** Keys found anchored outside the database (an anchor, once found, stays). */
  private readonly anchors = new Set<string>();

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly options: KeyOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get algorithm(): Algorithm {
    return this.options.algorithm ?? 'ed25519';
  }

  private get dir(): string {
    return this.options.dir ?? path.dirname(this.options.keyFile);
  }

  /** Every key anchored here (see the module's comment), as published (`GET /api/public/keys`). */
  async published(): Promise<PublishedKey[]> {
    const now = this.now();
    const rows = await new KeysRepository(this.db).all();
    const kept: PublishedKey[] = [];
    for (const row of rows) {
      if (await this.anchored(row)) {
        kept.push(published(row, now));
      }
    }
    return kept;
  }

  private async anchored(row: KeyRow): Promise<boolean> {
    if (this.anchors.has(row.key_id)) {
      return true;
    }
    let ok = false;
    try {
      ok = keyIdOf(row.algorithm, row.public_key) === row.key_id;
    } catch {
      ok = false;
    }
    if (ok) {
      const pub = await readText(this.publicFileOf(row.key_id));
      ok =
        (pub !== undefined && pub.trim() === row.public_key.trim()) ||
        (await this.privateHalf(row)) !== undefined;
    }
    if (ok) {
      this.anchors.add(row.key_id);
    }
    return ok;
  }

  /** Checks a signature against the registry (see `checkSignature`). */
  async check(signed: Parameters<typeof checkSignature>[1]): Promise<SignatureCheck> {
    return checkSignature(await this.published(), signed);
  }

  /** The key that signs now (see the module's comment). */
  async signer(): Promise<Signer> {
    const repo = new KeysRepository(this.db);
    for (const row of await repo.inForce(this.algorithm, this.now())) {
      const signer = await this.privateHalf(row);
      if (signer !== undefined) {
        return signer;
      }
    }
    return this.makeKey();
  }

  /**
   * Makes a key of the configured algorithm and registers it; the first Ed25519 key is the platform
   * key file, adopted as it is (valid from the start: it signed before the registry) when not registered yet.
   */
  async makeKey(): Promise<Signer> {
    const repo = new KeysRepository(this.db);
    const now = this.now();
    if (this.algorithm === 'ed25519') {
      const text = await readText(this.options.keyFile);
      if (text !== undefined) {
        const material = materialOf('ed25519', text);
        const keyId = keyIdOf('ed25519', material.publicKey);
        if ((await repo.one(keyId)) === undefined) {
          await repo.register({
            keyId,
            algorithm: 'ed25519',
            publicKey: material.publicKey,
            // Adopted: it signed checkpoints before the registry existed, from whenever that was.
            validFrom: new Date(0),
          });
          await this.writePublic(keyId, material.publicKey);
          return this.remember(material);
        }
      }
    }
    const material = generateKey(this.algorithm);
    const keyId = keyIdOf(material.algorithm, material.publicKey);
    await this.store(keyId, material);
    await this.writePublic(keyId, material.publicKey);
    await repo.register({
      keyId,
      algorithm: material.algorithm,
      publicKey: material.publicKey,
      validFrom: now,
    });
    return this.remember(material);
  }

  private remember(material: KeyMaterial): Signer {
    const signer = signerOf(material);
    this.signers.set(signer.keyId, signer);
    return signer;
  }

  private publicFileOf(keyId: string): string {
    return path.join(this.dir, `${keyId}.pub`);
  }

  /** The public half beside the private keys: the key's anchor outside the database. */
  private async writePublic(keyId: string, publicKey: string): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    try {
      await fs.writeFile(this.publicFileOf(keyId), `${publicKey.trim()}\n`, { mode: 0o644, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw err;
      }
    }
  }

  private fileOf(keyId: string, algorithm: Algorithm): string {
    return path.join(this.dir, algorithm === 'sm2' ? `${keyId}.sm2.json` : `${keyId}.ed25519.pem`);
  }

  /** Writes a new key's private half (mode 0600, never over another file). */
  private async store(keyId: string, material: KeyMaterial): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const text =
      material.algorithm === 'sm2'
        ? `${JSON.stringify({ privateKey: material.privateKey, publicKey: material.publicKey })}\n`
        : material.privateKey;
    // The first Ed25519 key is the platform key file itself, where it does not exist yet.
    if (material.algorithm === 'ed25519' && (await readText(this.options.keyFile)) === undefined) {
      try {
        await fs.writeFile(this.options.keyFile, text, { mode: 0o600, flag: 'wx' });
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw err;
        }
      }
    }
    await fs.writeFile(this.fileOf(keyId, material.algorithm), text, { mode: 0o600, flag: 'wx' });
  }

  /** The signer of a registered key, when this process holds its private half. */
  private async privateHalf(row: KeyRow): Promise<Signer | undefined> {
    const known = this.signers.get(row.key_id);
    if (known !== undefined) {
      return known;
    }
    const candidates =
      row.algorithm === 'ed25519'
        ? [this.options.keyFile, this.fileOf(row.key_id, 'ed25519')]
        : [this.fileOf(row.key_id, 'sm2')];
    for (const file of candidates) {
      const text = await readText(file);
      if (text === undefined) {
        continue;
      }
      const material =
        row.algorithm === 'sm2'
          ? (() => {
              const stored = JSON.parse(text) as { privateKey: string; publicKey: string };
              return materialOf('sm2', stored.privateKey, stored.publicKey);
            })()
          : materialOf('ed25519', text);
      if (keyIdOf(material.algorithm, material.publicKey) === row.key_id) {
        return this.remember(material);
      }
    }
    return undefined;
  }
}

/**
 * The platform's Ed25519 signing key, kept in a file outside the database (created on first use,
 * readable by the owner only), and the checkpoint file that anchors the chain's head.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { canonicalJson, msg, type Message } from '../../platform/index.ts';
import type { Checkpoint } from './audit.chain.ts';

export interface Signer {
  keyId: string;
  sign(text: string): string;
  verify(text: string, signature: string): boolean;
}

function signerOf(privateKey: KeyObject): Signer {
  const publicKey = createPublicKey(privateKey);
  const keyId = createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
  return {
    keyId,
    sign: (text) => sign(null, Buffer.from(text), privateKey).toString('base64'),
    verify: (text, signature) => {
      try {
        return verify(null, Buffer.from(text), publicKey, Buffer.from(signature, 'base64'));
      } catch {
        return false;
      }
    },
  };
}

/** Reads the platform key, creating it (mode 0600) when the file does not exist. */
export async function loadOrCreateSigner(keyFile: string): Promise<Signer> {
  try {
    return signerOf(createPrivateKey(await fs.readFile(keyFile, 'utf8')));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw err;
    }
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  await fs.mkdir(path.dirname(keyFile), { recursive: true });
  await fs.writeFile(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
    mode: 0o600,
    flag: 'wx',
  });
  return signerOf(privateKey);
}

export interface SignedCheckpoint extends Checkpoint {
  keyId: string;
  signature: string;
}

export function signCheckpoint(signer: Signer, cp: Checkpoint): SignedCheckpoint {
  return { ...cp, keyId: signer.keyId, signature: signer.sign(canonicalJson(cp)) };
}

export async function appendCheckpoint(file: string, cp: SignedCheckpoint): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.appendFile(file, `${JSON.stringify(cp)}\n`, { mode: 0o600 });
}

/**
 * Reads the checkpoint file and checks every signature; a line that does not verify is a
 * problem of its own (the file was edited), reported with its line number.
 */
export async function readCheckpoints(
  file: string,
  signer: Signer,
): Promise<{ checkpoints: Checkpoint[]; problem?: Message }> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return { checkpoints: [] };
    }
    throw err;
  }
  const checkpoints: Checkpoint[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]?.trim() ?? '';
    if (line === '') {
      continue;
    }
    let cp: SignedCheckpoint;
    try {
      cp = JSON.parse(line) as SignedCheckpoint;
    } catch {
      return { checkpoints, problem: msg('audit.problem.checkpoint_json', { line: i + 1 }) };
    }
    const body: Checkpoint = { seq: cp.seq, hash: cp.hash, signedAt: cp.signedAt };
    if (cp.keyId !== signer.keyId || !signer.verify(canonicalJson(body), cp.signature)) {
      return {
        checkpoints,
        problem: msg('audit.problem.checkpoint_signature', { line: i + 1, seq: cp.seq }),
      };
    }
    checkpoints.push(body);
  }
  return { checkpoints };
}

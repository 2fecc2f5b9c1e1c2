/**
 * `xinyong report <code> --type … --out file` issues a credit report (as the credit centre's
 * operator; a matter report as the department named) and writes it as PDF, HTML or JSON by the
 * file's extension; `xinyong report verify <file>` checks a report's PDF or JSON offline, against
 * the published keys (a saved GET /api/public/keys, or this platform's registry).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  verdictMessage,
  verifyReportFile,
  type ReportFormat,
  type ReportType,
} from '../modules/reports/index.ts';
import type { PublishedKey } from '../modules/keys/index.ts';
import { msg, ValidationError, type Config } from '../platform/index.ts';
import { departmentActor } from './ingest.ts';
import { cliLocaleNow } from './io.ts';
import { tr } from './say.ts';
import { withContainer } from './with-container.ts';

type Out = (line: string) => void;
const OPERATOR = { kind: 'system', name: 'cli' } as const;

export interface ReportOptions {
  type: ReportType;
  out: string;
  domains?: string;
  years?: number;
  from?: string;
  to?: string;
  department?: string;
  purpose?: string;
  matter?: string;
}

function formatOf(file: string): ReportFormat {
  const ext = path.extname(file).slice(1).toLowerCase();
  if (ext === 'pdf' || ext === 'html' || ext === 'json') {
    return ext;
  }
  throw new ValidationError(msg('cli.report.extension', { file }), {
    field: 'out',
    value: file,
    rule: 'report.format',
  });
}

export async function reportIssue(
  config: Config,
  code: string,
  opts: ReportOptions,
  out: Out,
): Promise<void> {
  const format = formatOf(opts.out);
  // Refused before anything is issued: a report is never issued for a file that cannot be written.
  const exists = await fs.stat(opts.out).then(
    () => true,
    () => false,
  );
  if (exists) {
    throw new ValidationError(msg('cli.report.exists', { file: opts.out }), {
      field: 'out',
      value: opts.out,
      rule: 'report.out_exists',
    });
  }
  await withContainer(config, async (c) => {
    const actor =
      opts.type === 'matter' ? await departmentActor(c, opts.department ?? '', 'reviewer') : OPERATOR;
    const issued = await c.reports.issue(actor, {
      type: opts.type,
      code,
      ...(opts.purpose === undefined ? {} : { purpose: opts.purpose }),
      ...(opts.matter === undefined ? {} : { matter: opts.matter }),
      ...(opts.domains === undefined ? {} : { domains: opts.domains.split(',') }),
      ...(opts.years === undefined ? {} : { years: opts.years }),
      ...(opts.from === undefined ? {} : { from: opts.from }),
      ...(opts.to === undefined ? {} : { to: opts.to }),
    });
    await fs.writeFile(opts.out, await c.reports.render(issued.text, format), { flag: 'wx' });
    out(
      tr('cli.report.issued', {
        number: issued.number,
        code: issued.code,
        type: issued.type,
        file: opts.out,
        url: issued.signed.report.verification.url,
      }),
    );
    out(
      tr('cli.report.fingerprint', { fingerprint: issued.fingerprint, key: issued.signed.signature.keyId }),
    );
  });
}

/** The keys a reader saved from GET /api/public/keys (or their array alone). */
async function readKeys(file: string): Promise<PublishedKey[]> {
  const refused = new ValidationError(msg('cli.report.keys_file', { file }), {
    field: 'keys',
    value: file,
    rule: 'report.keys_file',
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    throw refused;
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown } | null)?.keys;
  const valid = (k: unknown): k is PublishedKey =>
    typeof k === 'object' &&
    k !== null &&
    typeof (k as PublishedKey).keyId === 'string' &&
    typeof (k as PublishedKey).publicKey === 'string' &&
    ((k as PublishedKey).algorithm === 'ed25519' || (k as PublishedKey).algorithm === 'sm2');
  if (!Array.isArray(list) || !list.every(valid)) {
    throw refused;
  }
  return list;
}

/** Exit code 0 when the report is valid, 1 otherwise. */
export async function reportVerify(
  config: Config,
  file: string,
  keysFile: string | undefined,
  out: Out,
): Promise<number> {
  const bytes = await fs.readFile(file);
  const check = (keys: readonly PublishedKey[]): number => {
    const result = verifyReportFile(bytes, keys);
    out(
      tr('cli.report.verdict', {
        file,
        verdict: result.verdict,
        message: verdictMessage(result, cliLocaleNow()),
      }),
    );
    if (result.number !== undefined) {
      out(
        tr('cli.report.about', {
          number: result.number,
          type: result.type ?? '',
          issued: result.issuedAt ?? '',
          fingerprint: result.fingerprint ?? '',
          key: result.keyId ?? '',
        }),
      );
    }
    return result.verdict === 'valid' ? 0 : 1;
  };
  if (keysFile !== undefined) {
    return check(await readKeys(keysFile));
  }
  return withContainer(config, async (c) => check(await c.keys.list()));
}

const keyRow = (k: PublishedKey): string =>
  tr('cli.keys.row', {
    key: k.keyId,
    algorithm: k.algorithm,
    status: k.status,
    from: k.validFrom,
    until: k.validUntil ?? '—',
  });

export async function keysList(config: Config, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    for (const k of await c.keys.list()) {
      out(keyRow(k));
    }
  });
}

export async function keysRotate(config: Config, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    const { key, replaced } = await c.keys.rotate(OPERATOR);
    out(
      tr('cli.keys.rotated', {
        key: key.keyId,
        algorithm: key.algorithm,
        replaced: replaced.join(', ') || '—',
      }),
    );
  });
}

export async function keysRetire(config: Config, keyId: string, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    const key = await c.keys.retire(OPERATOR, keyId);
    out(keyRow(key));
  });
}

export async function keysRevoke(config: Config, keyId: string, reason: string, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    const key = await c.keys.revoke(OPERATOR, keyId, reason);
    out(keyRow(key));
  });
}

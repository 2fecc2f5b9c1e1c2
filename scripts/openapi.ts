/**
 * The OpenAPI document as the server serves it, without serving: the platform starts once on a
 * throwaway embedded database, builds its HTTP server, and writes `/api/docs/json` to a file.
 * `--lint` then lints the file with Redocly (redocly.yaml): any error fails the run.
 *
 *   node --import tsx scripts/openapi.ts [--out <file>] [--lint]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createContainer } from '../src/container.ts';
import { loadConfig } from '../src/platform/index.ts';

const { values } = parseArgs({
  options: { out: { type: 'string' }, lint: { type: 'boolean', default: false } },
});
const root = path.resolve(import.meta.dirname, '..');
const out = path.resolve(values.out ?? path.join(os.tmpdir(), 'xinyong-openapi.json'));
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-openapi-'));
try {
  // Production mode with no data: only the routes matter, and no demo accounts are made.
  const config = loadConfig({ XINYONG_DATA_DIR: dataDir, XINYONG_MODE: 'production', LOG_LEVEL: 'silent' });
  const container = await createContainer(config);
  try {
    const app = await container.buildHttpServer();
    await app.ready();
    await fs.writeFile(out, `${JSON.stringify(app.swagger(), null, 2)}\n`);
    await app.close();
  } finally {
    await container.close();
  }
} finally {
  await fs.rm(dataDir, { recursive: true, force: true });
}
console.log(`wrote ${out}`);

if (values.lint) {
  const redocly = path.join(root, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
  const lint = spawnSync(
    process.execPath,
    [redocly, 'lint', '--config', path.join(root, 'redocly.yaml'), out],
    {
      stdio: 'inherit',
      // Nothing leaves the machine: no usage data (redocly.yaml says so too), no version check.
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  );
  process.exitCode = lint.status ?? 1;
}

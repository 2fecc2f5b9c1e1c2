// `npm install` builds the platform once (the `prepare` script): the TypeScript of src/ compiled to
// dist/ with source maps, the JSON data files beside it, and a stamp that says which sources it was
// built from, so that bin/xinyong.js can tell a stale build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');

fs.rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
  { cwd: root, stdio: 'inherit' },
);
if (tsc.status !== 0) {
  process.exit(tsc.status ?? 1);
}
let copied = 0;
for (const entry of fs.readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (entry.isFile() && entry.name.endsWith('.json')) {
    const from = path.join(entry.parentPath, entry.name);
    const to = path.join(dist, path.relative(src, from));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
    copied += 1;
  }
}
fs.writeFileSync(path.join(dist, 'BUILD'), `${new Date().toISOString()}\n`);
process.stdout.write(`built dist/ from src/ (${copied} data files copied)\n`);

// The web application (web/, an npm workspace): typed from openapi.json, built into web/dist,
// which the server serves at /.
const started = Date.now();
const web = spawnSync(
  process.platform === 'win32' ? 'npm.cmd' : 'npm',
  ['run', '--silent', 'build', '--workspace', 'web'],
  {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
if (web.status !== 0) {
  process.exit(web.status ?? 1);
}
process.stdout.write(`built web/dist/ (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);

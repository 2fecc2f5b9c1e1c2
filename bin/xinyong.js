#!/usr/bin/env node
// The `xinyong` command. `npm install` compiles src/ to dist/ (scripts/build.mjs); the command runs
// the compiled code. Where there is no build, or the sources changed after it (while developing),
// it runs the sources through tsx instead and says so, rather than run stale code.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

function buildIsCurrent() {
  let built;
  try {
    built = fs.statSync(path.join(root, 'dist', 'BUILD')).mtimeMs;
  } catch {
    return false;
  }
  // A package without its sources runs its build.
  return !fs.existsSync(path.join(root, 'src')) || newestSource(path.join(root, 'src')) <= built;
}

let runCli;
if (buildIsCurrent()) {
  ({ runCli } = await import('../dist/cli.js'));
} else {
  process.stderr.write(
    '(running the sources: dist/ is missing or older than src/; `npm run build` builds it)\n',
  );
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import('../src/cli.ts'));
}
process.exitCode = await runCli(process.argv);

#!/usr/bin/env node
// The `xinyong` command. TypeScript runs through tsx (a runtime dependency), so `npm install`
// is the only build step a fresh machine needs.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli.ts');
process.exitCode = await runCli(process.argv);

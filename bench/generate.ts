/**
 * Writes a generated department file of administrative penalties (see src/demo/generate.ts).
 *
 *   node --import tsx bench/generate.ts --rows 100000 --out /tmp/penalties.csv [--seed 7] [--gbk]
 */
import { writePenaltyCsv } from '../src/demo/index.ts';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const rows = Number(arg('rows') ?? '100000');
const file = arg('out') ?? 'penalties.csv';
await writePenaltyCsv(file, { rows, seed: Number(arg('seed') ?? '20261122'), gbk: args.includes('--gbk') });
console.log(`${rows} rows written to ${file}`);

/**
 * Writes a generated department file of administrative penalties (see src/demo/generate.ts).
 *
 *   node --import tsx bench/generate.ts --rows 100000 --out /tmp/penalties.csv [--seed 7] [--gbk]
 */
import { writePenaltyCsv } from '../src/demo/index.ts';
import { commandLine } from './options.ts';

const cli = commandLine();
const rows = cli.number('rows', 100_000);
const file = cli.string('out') ?? 'penalties.csv';
await writePenaltyCsv(file, { rows, seed: cli.number('seed', 20261122), gbk: cli.flag('gbk') });
console.log(`${rows} rows written to ${file}`);

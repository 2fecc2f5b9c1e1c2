/**
 * `npm run bench [-- name...]`: runs the benchmarks and prints their figures. Timings are never
 * asserted anywhere; they are measured here and reported.
 */
import { machineLine } from './config.ts';
import { benchHttpIdentifiers } from './http-identifiers.ts';
import { benchIdentifiers } from './identifiers.ts';

const benches: Record<string, () => Promise<void> | void> = {
  identifiers: () => benchIdentifiers(),
  'http-identifiers': () => benchHttpIdentifiers(),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in benches));
if (unknown.length > 0) {
  console.error(`unknown benchmark: ${unknown.join(', ')}; choose from ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
console.log(machineLine());
for (const name of wanted.length > 0 ? wanted : Object.keys(benches)) {
  await benches[name]?.();
  console.log('');
}

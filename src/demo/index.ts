/** Demonstration data and the generator of realistic department files behind it. */
export { loadDemoData, type DemoLoad } from './load.ts';
export { SHOWCASE } from './showcase.ts';
export {
  penaltyRows,
  licensingRows,
  registrationRows,
  writeCsv,
  writePenaltyCsv,
  population,
  BRANDS,
  prng,
  type Company,
  type GenerateOptions,
  type PopulationOptions,
} from './generate.ts';

/**
 * What every start makes sure of: the shipped list types, the measure list and the shipped
 * memoranda (in demo mode also the demo serious-dishonesty list and its memorandum). A database
 * whose catalog lacks a list's item (one made under an older catalog) keeps starting: that list,
 * and the memoranda naming it, wait for the catalog, with a warning.
 */
import type { Actor } from '../auth/index.ts';
import type { CatalogService } from '../catalog/index.ts';
import { demoSeriousListType, ITEM_OF_KIND, shippedListTypes, type ListService } from '../lists/index.ts';
import { demoMemorandum, shippedMeasures, shippedMemoranda } from './measures.data.ts';
import type { MeasureService } from './measures.service.ts';

export async function ensureShippedLists(
  services: { lists: ListService; measures: MeasureService; catalog: CatalogService },
  options: { demo: boolean; warn: (message: string) => void },
): Promise<void> {
  const system: Actor = { kind: 'system', name: 'first-start' };
  const items = new Set((await services.catalog.items()).map((i) => i.code));
  const ready = new Set<string>();
  for (const t of [...shippedListTypes(), ...(options.demo ? [demoSeriousListType()] : [])]) {
    if (!items.has(ITEM_OF_KIND[t.kind])) {
      options.warn(
        `list type ${t.code} waits for catalog item ${ITEM_OF_KIND[t.kind]}: load the current base catalog`,
      );
      continue;
    }
    await services.lists.createListType(system, t);
    ready.add(t.code);
  }
  await services.measures.ensureShipped();
  const list = shippedMeasures();
  for (const m of [...shippedMemoranda(list), ...(options.demo ? [demoMemorandum(list)] : [])]) {
    const missing = m.entries.find((e) => !ready.has(e.listType));
    if (missing !== undefined) {
      options.warn(`memorandum ${m.code} waits for list type ${missing.listType}`);
      continue;
    }
    await services.measures.createMemorandum(system, m);
  }
}

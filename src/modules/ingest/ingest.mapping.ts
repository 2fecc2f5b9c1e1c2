/** Column headings to catalog fields, by Chinese or English name or an alias. */
import type { CatalogItem, Field } from '../catalog/index.ts';

export interface ColumnMapping {
  /** The field a heading names, for headings seen only later (JSON Lines, records). */
  resolve: (heading: string) => string | undefined;
  /** Each column of the file in order, with the field it maps to, or null when dropped. */
  columns: Array<{ header: string; field: string | null }>;
  dropped: string[];
  missingRequired: Field[];
}

/**
 * Full-width brackets, spaces and case do not make a heading different, nor a trailing `*` or `＊`:
 * templates mark required headings so (`行政相对人名称*`), and a template filled in must ingest.
 */
export function headingKey(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').replace(/\*+$/, '').toLowerCase();
}

/**
 * Maps a file's headings to the item's fields: a department's saved mapping (heading key → field
 * key) first, then the fields' own names.
 */
export function mapColumns(
  item: CatalogItem,
  headers: readonly string[],
  saved: ReadonlyMap<string, string> = new Map(),
): ColumnMapping {
  const byName = new Map<string, string>();
  for (const f of item.fields) {
    for (const name of [f.nameZh, f.nameEn, f.key, ...f.aliases]) {
      byName.set(headingKey(name), f.key);
    }
  }
  for (const [heading, field] of saved) {
    byName.set(heading, field);
  }
  const used = new Set<string>();
  const columns = headers.map((header) => {
    const field = byName.get(headingKey(header));
    if (field === undefined || used.has(field)) {
      return { header, field: null };
    }
    used.add(field);
    return { header, field };
  });
  return {
    resolve: (heading) => byName.get(headingKey(heading)),
    columns,
    dropped: columns.filter((c) => c.field === null && c.header !== '').map((c) => c.header),
    missingRequired: item.fields.filter((f) => f.required && !used.has(f.key)),
  };
}

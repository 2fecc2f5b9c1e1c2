/**
 * A name's search key and bigrams, cut exactly as the database cuts them (`xinyong_name_key`,
 * `xinyong_name_grams`, migration 0011), so that the in-memory index and the SQL search agree:
 * NFKC, lower case, legal-form words and punctuation removed; the key's distinct character
 * bigrams, those holding a mask character (林**) left out.
 */

const LEGAL_FORMS =
  /(股份有限公司|有限责任公司|股份合作公司|有限公司|分公司|有限合伙|普通合伙|合伙企业|个体工商户)/g;
// PostgreSQL's [[:space:]] after NFKC (which turns the other Unicode spaces into U+0020), and the
// migration's punctuation list.
const PUNCTUATION =
  /[\t\n\v\f\r \u0085\u1680\u2028\u2029()（）［］【】〔〕《》<>"“”'‘’·・.,，。、;；:：/_-]/gu;

/** The search key of a name. */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(LEGAL_FORMS, '').replace(PUNCTUATION, '');
}

/** The distinct bigrams of a key (by characters, not UTF-16 units), sorted. */
export function keyGrams(key: string): string[] {
  const chars = Array.from(key);
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i += 1) {
    const gram = `${chars[i]}${chars[i + 1]}`;
    if (!gram.includes('*')) {
      grams.add(gram);
    }
  }
  return [...grams].sort();
}

/** The bigrams a name is searched by. */
export const nameGrams = (name: string): string[] => keyGrams(nameKey(name));

/**
 * The documents of a designation case (prior notice, objection answer, decision, announcement,
 * removal) as structured data, and their HTML rendering. The structure is what is kept and
 * audited; the HTML is rendered from it once, when the step is taken, and kept beside it.
 */
import { escapeHtml } from '../../platform/index.ts';

export const DOCUMENT_KINDS = {
  notice: '认定严重失信主体名单事先告知书',
  objection: '异议申请（收件记录）',
  answer: '异议核实答复书',
  decision: '列入严重失信主体名单决定书',
  announcement: '守信激励对象名单公示',
  confirmation: '守信激励对象名单认定',
  removal: '移出名单决定书',
} as const;
export type DocumentKind = keyof typeof DOCUMENT_KINDS;

export interface CaseDocument {
  kind: DocumentKind;
  title: string;
  number: string;
  date: string;
  department: { code: string; name: string };
  /** The party, as the document names it (a person's name masked). */
  party: { name: string; code: string };
  sections: Array<{ heading: string; text: string | string[] }>;
}

const escape = escapeHtml;

export function renderDocument(doc: CaseDocument): string {
  const sections = doc.sections
    .map(
      (s) =>
        `<section><h2>${escape(s.heading)}</h2>${
          Array.isArray(s.text)
            ? `<ol>${s.text.map((t) => `<li>${escape(t)}</li>`).join('')}</ol>`
            : `<p>${escape(s.text)}</p>`
        }</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(doc.title)}</title></head>
<body><article>
<h1>${escape(doc.title)}</h1>
<p class="number">${escape(doc.number)}</p>
<p class="party">${escape(doc.party.name)}（${escape(doc.party.code)}）：</p>
${sections}
<p class="issuer">${escape(doc.department.name)}</p>
<p class="date">${escape(doc.date)}</p>
</article></body></html>
`;
}

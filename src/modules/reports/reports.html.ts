/** A report as HTML: the same view as the PDF, printable, every value escaped. */
import { escapeHtml } from '../../platform/index.ts';
import { reportView, type Block } from './reports.view.ts';
import type { ReportContent } from './reports.types.ts';

/** Ideographic spaces, as Chinese documents space their fields. */
const GAP = '\u3000';

function block(b: Block): string {
  if (b.kind === 'heading') {
    return `<h2>${escapeHtml(b.text)}</h2>`;
  }
  if (b.kind === 'lines') {
    return b.lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n');
  }
  const head = b.columns.map((c) => `<th>${escapeHtml(c.title)}</th>`).join('');
  const body =
    b.rows.length === 0
      ? `<tr><td colspan="${b.columns.length}" class="empty">${escapeHtml(b.empty)}</td></tr>`
      : b.rows
          .map(
            (r) =>
              `<tr>${b.columns.map((c, i) => `<td${c.align === 'right' ? ' class="num"' : ''}>${escapeHtml(r[i] ?? '')}</td>`).join('')}</tr>`,
          )
          .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const STYLE = `
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;color:#1a1a1a;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
h1{text-align:center;font-size:1.5rem}h2{font-size:1.1rem;margin-top:1.5rem}
table{width:100%;border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
th,td{border:1px solid #b5bfca;padding:.25rem .4rem;vertical-align:top;text-align:left}
th{background:#e3e8ef}td.num{text-align:right}td.empty{text-align:center}
.verify{border:1px solid #8a96a3;padding:.5rem .75rem;font-size:.85rem}
@media print{body{margin:0;max-width:none}thead{display:table-header-group}tr{break-inside:avoid}}
`;

export function renderHtml(content: ReportContent): string {
  const view = reportView(content);
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${view.title} ${view.number}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(view.title)}</h1>
<p class="verify">报告编号：${escapeHtml(view.number)}${GAP}验证码：${escapeHtml(view.code)}${GAP}核验：<a href="${escapeHtml(view.url)}">${escapeHtml(view.url)}</a></p>
${view.blocks.map(block).join('\n')}
</body>
</html>
`;
}

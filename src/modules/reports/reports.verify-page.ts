/**
 * The verification page a report's QR code opens (`/verify?number=&code=`): a form, and what the
 * platform confirms of the report — its type, time, fingerprint and verdict, never its content.
 * Server-rendered, in the reader's language, working without JavaScript on a phone.
 */
import { escapeHtml, t, type Locale } from '../../platform/index.ts';
import type { Verification } from './reports.service.ts';

export function verifyPage(
  locale: Locale,
  asked: { number: string; code: string },
  result: Verification | undefined,
  notFound: boolean,
): string {
  const say = (key: Parameters<typeof t>[1]) => escapeHtml(t(locale, key));
  const rows =
    result === undefined
      ? ''
      : `<dl>
<dt>${say('reports.page.verdict')}</dt><dd class="${result.verdict === 'valid' ? 'ok' : 'bad'}">${escapeHtml(result.message)}</dd>
<dt>${say('reports.page.number')}</dt><dd>${escapeHtml(result.number)}</dd>
<dt>${say('reports.page.type')}</dt><dd>${escapeHtml(t(locale, `reports.page.types.${result.type}`))}</dd>
<dt>${say('reports.page.issued')}</dt><dd>${escapeHtml(result.issuedAt)}</dd>
<dt>${say('reports.page.fingerprint')}</dt><dd><code>${escapeHtml(result.fingerprint)}</code></dd>
<dt>${say('reports.page.key')}</dt><dd><code>${escapeHtml(`${result.algorithm} ${result.keyId}`)}</code></dd>
</dl>
<p>${say('reports.page.compare')}</p>`;
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${say('reports.page.title')}</title>
<style>
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;max-width:40rem;margin:1.5rem auto;padding:0 1rem;line-height:1.6;color:#1a1a1a}
label{display:block;margin-top:.75rem}input{font-size:1rem;padding:.4rem;width:100%;box-sizing:border-box}
button{margin-top:1rem;font-size:1rem;padding:.5rem 1.25rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dd{margin:0;word-break:break-all}
.ok{color:#0a6b2d;font-weight:bold}.bad{color:#a40000;font-weight:bold}
</style>
</head>
<body>
<h1>${say('reports.page.title')}</h1>
<form method="get" action="/verify">
<label for="number">${say('reports.page.number')}</label>
<input id="number" name="number" value="${escapeHtml(asked.number)}" autocomplete="off" required>
<label for="code">${say('reports.page.code')}</label>
<input id="code" name="code" value="${escapeHtml(asked.code)}" autocomplete="off" required>
<button type="submit">${say('reports.page.submit')}</button>
</form>
${notFound ? `<p class="bad" role="alert">${say('reports.not_found')}</p>` : ''}
${rows}
</body>
</html>
`;
}

import type { FeedbackReason } from '../bot/records.js';
import { REVIEW_SOON_DAYS } from '../knowledge/freshness.js';
import { formatSuggestion, plainLine, type Bar, type CuratorReport } from './curator-page.js';

/**
 * The curator's page as one HTML file: inline CSS and SVG bar charts, no script, no external resource,
 * so it opens from disk anywhere. Everything from a user or a log is escaped; user-sent links are
 * shown as text and never become links.
 */

/** Escapes text for HTML element content and attribute values; control characters (escape sequences, line breaks) become spaces. */
export function escapeHtml(text: string): string {
  return plainLine(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** Width of a chart's bar area and the height of one bar row, in SVG user units (pixels). */
const CHART_BAR_WIDTH_PX = 360;
const CHART_ROW_HEIGHT_PX = 22;
const CHART_LABEL_WIDTH_PX = 300;
/** Labels longer than this are cut with an ellipsis; the full text is the bar's tooltip. */
const CHART_LABEL_MAX_CHARS = 44;

const REASONS: Readonly<Record<FeedbackReason, string>> = { wrong: 'wrong', 'out-of-date': 'out of date', 'not-asked': 'not what was asked', other: 'other' };

const CSS = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1f2328;background:#fff}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem;margin-top:2rem}
.meta{color:#57606a}table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid #eaeef2}
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.suggest{color:#0969da}.warn{color:#9a6700}.past{color:#cf222e}
.charts{display:flex;flex-wrap:wrap;gap:2rem}.chart h3{font-size:1rem;margin:.5rem 0}svg text{font:12px system-ui,sans-serif;fill:#1f2328}.link{font-family:ui-monospace,monospace;word-break:break-all}
`;

function chart(title: string, bars: readonly Bar[], color: string): string {
  if (bars.length === 0) return `<div class="chart"><h3>${escapeHtml(title)}</h3><p class="meta">Nothing yet.</p></div>`;
  const max = Math.max(...bars.map((b) => b.count), 1);
  const width = CHART_LABEL_WIDTH_PX + CHART_BAR_WIDTH_PX + 40;
  const height = bars.length * CHART_ROW_HEIGHT_PX + 4;
  const rows = bars.map((bar, i) => {
    const y = i * CHART_ROW_HEIGHT_PX + 2;
    const w = Math.max(2, Math.round((bar.count / max) * CHART_BAR_WIDTH_PX));
    const label = bar.label.length > CHART_LABEL_MAX_CHARS ? `${bar.label.slice(0, CHART_LABEL_MAX_CHARS - 1)}…` : bar.label;
    return (
      `<g><title>${escapeHtml(bar.label)}: ${bar.count}</title>` +
      `<text x="${CHART_LABEL_WIDTH_PX - 6}" y="${y + 15}" text-anchor="end">${escapeHtml(label)}</text>` +
      `<rect x="${CHART_LABEL_WIDTH_PX}" y="${y + 3}" width="${w}" height="${CHART_ROW_HEIGHT_PX - 6}" fill="${color}" rx="2"/>` +
      `<text x="${CHART_LABEL_WIDTH_PX + w + 5}" y="${y + 15}">${bar.count}</text></g>`
    );
  });
  return `<div class="chart"><h3>${escapeHtml(title)}</h3><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${rows.join('')}</svg></div>`;
}

/** The page as one self-contained HTML document. */
export function renderCuratorReportHtml(report: CuratorReport): string {
  const u = report.unanswered;
  const f = report.feedback;
  const e = escapeHtml;
  const parts: string[] = [];
  parts.push(`<h1>Curator report</h1><p class="meta">Review dates checked on ${e(report.today)}. Suggestions are for you to judge: nothing here changes the fact base.</p>`);

  parts.push('<h2 id="charts">Most asked and most disliked</h2><div class="charts">');
  parts.push(chart('Most asked unanswered questions', report.charts.mostAsked, '#0969da'));
  parts.push(chart('Most disliked facts (👎 down votes)', report.charts.mostDisliked, '#cf222e'));
  parts.push('</div>');

  parts.push('<h2 id="unanswered">Unanswered questions</h2>');
  if (u.source === undefined) parts.push('<p class="meta">No unanswered log (pass FILE or set UNANSWERED_LOG).</p>');
  else if (u.entries === 0) parts.push(`<p class="meta">No unanswered questions in ${e(u.source)} yet.</p>`);
  else {
    parts.push(`<p class="meta">${e(u.source)}: ${u.entries} logged, ${u.distinct} distinct (similar wordings grouped), most asked first${u.distinct > u.groups.length ? `; top ${u.groups.length} shown` : ''}.</p>`);
    parts.push('<table><thead><tr><th>Asked</th><th>Question and other wordings</th><th>Nearest fact and suggestion</th></tr></thead><tbody>');
    for (const group of u.groups) {
      const variants = group.variants.map((v) => `“${e(v.question)}”${v.count > 1 ? ` ×${v.count}` : ''}`).join(', ');
      const kinds = Object.entries(group.kinds).map(([kind, n]) => `${kind === 'answer' ? 'low-confidence answer' : e(kind)} ${n}`).join(', ');
      parts.push(
        `<tr><td class="n">${group.count}</td><td>${e(group.question)}${variants ? `<br><small>also: ${variants}</small>` : ''}<br><small class="meta">${kinds}; ${e(group.platforms.join(', '))}; last ${e(group.lastAsked.slice(0, 10))}</small></td>` +
          `<td class="suggest">${e(formatSuggestion(group))}</td></tr>`,
      );
    }
    parts.push('</tbody></table>');
  }

  parts.push('<h2 id="disliked">Disliked answers</h2>');
  if (f.source === undefined) parts.push('<p class="meta">No feedback records (pass --records FILE or set FEEDBACK_LOG).</p>');
  else if (f.disliked.length === 0) parts.push(`<p class="meta">No 👎 in ${e(f.source)} (${f.votes} vote(s)).</p>`);
  else {
    parts.push(`<p class="meta">${e(f.source)}: ${f.votes} vote(s), each user's last per answer; most 👎 first.</p>`);
    parts.push('<table><thead><tr><th>👎 down</th><th>👍 up</th><th>Fact</th><th>Reasons</th><th>Asked</th></tr></thead><tbody>');
    for (const fact of f.disliked) {
      const reasons = Object.entries(fact.reasons).sort((a, b) => b[1] - a[1]).map(([r, n]) => `${e(REASONS[r as FeedbackReason])} ${n}`).join(', ');
      const asked = fact.questions.slice(0, 3).map((q) => `“${e(q)}”`).join('<br>');
      parts.push(`<tr><td class="n">${fact.down}</td><td class="n">${fact.up}</td><td>${e(fact.factId)}</td><td>${reasons}</td><td>${asked}</td></tr>`);
    }
    parts.push('</tbody></table>');
  }

  parts.push('<h2 id="corrections">Corrections to review</h2>');
  if (report.corrections.length === 0) parts.push('<p class="meta">No corrections.</p>');
  else {
    parts.push('<table><thead><tr><th>When</th><th>Fact</th><th>Correction</th><th>Source given (not checked, not a link)</th></tr></thead><tbody>');
    for (const c of report.corrections) {
      parts.push(
        `<tr><td>${e(c.time.slice(0, 16).replace('T', ' '))}<br><small class="meta">${e(c.platform)}, ${e(c.language)}</small></td><td>${e(c.factId)}</td>` +
          `<td>${e(c.text)}${c.question.trim() ? `<br><small class="meta">asked: “${e(c.question)}”</small>` : ''}</td><td class="link">${c.link ? e(c.link) : ''}</td></tr>`,
      );
    }
    parts.push('</tbody></table>');
  }

  parts.push('<h2 id="review">Facts to review</h2>');
  if (report.review.length === 0) parts.push(`<p class="meta">No fact is past its review_by date or due within ${REVIEW_SOON_DAYS} days.</p>`);
  else {
    parts.push('<table><thead><tr><th>Status</th><th>Fact</th><th>File</th><th>Review by</th><th>As of</th></tr></thead><tbody>');
    for (const r of report.review) {
      parts.push(`<tr><td class="${r.status === 'past' ? 'past' : 'warn'}">${r.status === 'past' ? `past (${-r.daysLeft} days)` : `due in ${r.daysLeft} days`}</td><td>${e(r.factId)}</td><td>${e(r.file)}</td><td>${e(r.reviewBy)}</td><td>${e(r.asOf)}</td></tr>`);
    }
    parts.push('</tbody></table>');
  }
  const skipped = [u.skipped > 0 ? `${u.skipped} unreadable line(s) skipped in ${u.source ?? 'the unanswered log'}` : '', f.skipped > 0 ? `${f.skipped} unreadable line(s) skipped in ${f.source ?? 'the feedback records'}` : ''].filter(Boolean);
  if (skipped.length > 0) parts.push(`<p class="warn">${e(skipped.join('; '))}.</p>`);

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Curator report ${e(report.today)}</title><style>${CSS}</style></head>
<body>
${parts.join('\n')}
</body></html>
`;
}

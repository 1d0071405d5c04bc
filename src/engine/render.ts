import type { Reply } from './types.js';

const LABELS = {
  en: { sources: 'Sources', source: 'Source', suggestions: 'You could ask:', topics: 'Topics', example: 'e.g.', facts: 'facts', year: 'Figure for', asOf: 'as of', stale: (asOf: string) => `This figure may be out of date (as of ${asOf}).` },
  zh: { sources: '来源', source: '来源', suggestions: '你可以问：', topics: '主题', example: '例如', facts: '条', year: '数据年份', asOf: '截至', stale: (asOf: string) => `此数据可能已过时（截至${asOf}）。` },
} as const;

/** A source as one line of plain text: `Title — Publisher, 2017-02-09 <url>`. */
export function formatSourceLine(source: Reply['sources'][number]): string {
  return `${source.title} — ${source.publisher}, ${source.date} <${source.url}>`;
}

/**
 * The whole reply as plain text, as a person reads it in a terminal: the body, then numbered sources,
 * suggestions or topics. The CLI's `text` field is exactly this.
 */
export function renderPlainText(reply: Reply): string {
  const labels = LABELS[reply.language];
  const lines = [reply.body];
  if (reply.kind === 'answer' && (reply.year !== undefined || reply.asOf !== undefined)) {
    const parts = [reply.year !== undefined ? `${labels.year} ${reply.year}` : undefined, reply.asOf ? `${labels.asOf} ${reply.asOf}` : undefined];
    lines.push(`(${parts.filter(Boolean).join(' · ')})`);
  }
  if (reply.stale) lines.push(labels.stale(reply.stale.asOf));
  if (reply.sources.length > 0) {
    lines.push('', `${reply.sources.length > 1 ? labels.sources : labels.source}:`);
    reply.sources.forEach((source, i) => lines.push(`  [${i + 1}] ${formatSourceLine(source)}`));
  }
  if (reply.topics.length > 0) {
    lines.push('');
    for (const topic of reply.topics) {
      lines.push(`  • ${topic.title} (${topic.factCount} ${labels.facts}) — ${labels.example} “${topic.example}”`);
    }
  }
  if (reply.suggestions.length > 0) {
    lines.push('', labels.suggestions);
    for (const suggestion of reply.suggestions) lines.push(`  • ${suggestion.question}`);
  }
  return lines.join('\n');
}

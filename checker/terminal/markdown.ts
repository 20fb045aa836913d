import { Marked } from 'marked';
import { markedTerminal } from 'marked-terminal';
import { colorsWanted } from './colors.ts';

/**
 * Renders a lesson's Markdown for the terminal: headings, code blocks, lists and tables.
 * (marked stays on version 12: with 13 and later, marked-terminal 7 prints list items'
 * inline styles as raw ** and ` marks.)
 */
export function renderMarkdown(markdown: string): string {
  const width = Math.min(process.stdout.columns || 100, 100);
  // Tables are drawn by cli-table3, which colours their borders and headings by itself.
  const tableOptions = colorsWanted ? {} : { style: { head: [], border: [] } };
  const marked = new Marked(markedTerminal({ width, reflowText: true, tab: 2, tableOptions }) as Parameters<Marked['use']>[0]);
  return marked.parse(markdown, { async: false }) as string;
}

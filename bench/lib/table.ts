/** Markdown tables on stdout: the one output of every bench. */
export type Align = 'left' | 'right';

/** Prints `| a | b |`, its `| --- | ---: |` rule and one line per row. */
export function printTable(
  headers: string[],
  rows: readonly (readonly string[])[],
  align: Align[] = [],
): void {
  console.log(`| ${headers.join(' | ')} |`);
  console.log(`| ${headers.map((_, i) => (align[i] === 'right' ? '---:' : '---')).join(' | ')} |`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

/** The results table: one row per metric, printed to the console and written into BENCHMARKS.md. */
import type { Summary } from './stats';

export interface Row {
  /** Group heading, e.g. "CT load (Crossview)". */
  group: string;
  metric: string;
  unit: string;
  /** A measured summary, a single value, or absent with `note` saying why. */
  summary?: Summary;
  value?: number;
  note?: string;
}

function fmt(value: number | undefined, unit: string): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  if (unit === '×') return value.toFixed(2);
  if (unit === 'count') return String(Math.round(value));
  if (unit === 'MiB') return value.toFixed(1);
  return Math.abs(value) >= 100 ? String(Math.round(value)) : value.toFixed(1);
}

/** A GitHub-flavoured Markdown table; median/min/max for summaries, the value in the median column otherwise. */
export function markdownTable(rows: Row[]): string {
  const lines = ['| group | metric | unit | median | min | max | n | note |', '|---|---|---|---:|---:|---:|---:|---|'];
  for (const row of rows) {
    const s = row.summary;
    const median = s ? fmt(s.median, row.unit) : fmt(row.value, row.unit);
    const min = s ? fmt(s.min, row.unit) : '';
    const max = s ? fmt(s.max, row.unit) : '';
    const n = s ? String(s.n) : row.value === undefined ? '0' : '1';
    lines.push(`| ${row.group} | ${row.metric} | ${row.unit} | ${median} | ${min} | ${max} | ${n} | ${(row.note ?? '').replace(/\|/g, '/')} |`);
  }
  return lines.join('\n');
}

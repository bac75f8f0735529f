import { describe, expect, it } from 'vitest';
import { markdownTable, type Row } from './table';

const cells = (line: string) => line.split('|').slice(1, -1).map((c) => c.trim());

describe('markdownTable', () => {
  it('starts with the header and the alignment line', () => {
    const [header, align] = markdownTable([]).split('\n');
    expect(cells(header!)).toEqual(['group', 'metric', 'unit', 'median', 'min', 'max', 'n', 'note']);
    expect(cells(align!)).toEqual(['---', '---', '---', '---:', '---:', '---:', '---:', '---']);
  });

  it('writes a summary as median, min, max and n, rounded by its unit', () => {
    const rows: Row[] = [
      { group: 'CT', metric: 'first image', unit: 'ms', summary: { median: 1234.4, min: 987.6, max: 2000.5, n: 5 } },
      { group: 'CT', metric: 'short', unit: 'ms', summary: { median: 42.25, min: 40.04, max: 99.96, n: 5 } },
      { group: 'Heap', metric: 'heap', unit: 'MiB', summary: { median: 170.04, min: 169.96, max: 171, n: 3 } },
    ];
    const [, , a, b, c] = markdownTable(rows).split('\n');
    expect(cells(a!)).toEqual(['CT', 'first image', 'ms', '1234', '988', '2001', '5', '']);
    expect(cells(b!)).toEqual(['CT', 'short', 'ms', '42.3', '40.0', '100.0', '5', '']);
    expect(cells(c!)).toEqual(['Heap', 'heap', 'MiB', '170.0', '170.0', '171.0', '3', '']);
  });

  it('puts a single value in the median column with n = 1, ratios to two places and counts whole', () => {
    const rows: Row[] = [
      { group: 'G', metric: 'ratio', unit: '×', value: 1.23456 },
      { group: 'G', metric: 'errors', unit: 'count', value: 0, note: '617 requests' },
    ];
    const [, , ratioLine, countLine] = markdownTable(rows).split('\n');
    expect(cells(ratioLine!)).toEqual(['G', 'ratio', '×', '1.23', '', '', '1', '']);
    expect(cells(countLine!)).toEqual(['G', 'errors', 'count', '0', '', '', '1', '617 requests']);
  });

  it('shows a dash for what was not measured, n = 0 with the reason, and no stray column from a | in a note', () => {
    const rows: Row[] = [
      { group: 'OHIF', metric: 'first image', unit: 'ms', note: 'not measured: npm pack | registry offline' },
      { group: 'OHIF', metric: 'ratio', unit: '×', value: NaN },
      { group: 'S', metric: 'empty', unit: 'ms', summary: { median: NaN, min: NaN, max: NaN, n: 0 } },
    ];
    const [, , noted, nan, empty] = markdownTable(rows).split('\n');
    expect(cells(noted!)).toEqual(['OHIF', 'first image', 'ms', '—', '', '', '0', 'not measured: npm pack / registry offline']);
    expect(cells(nan!)).toEqual(['OHIF', 'ratio', '×', '—', '', '', '1', '']);
    expect(cells(empty!)).toEqual(['S', 'empty', 'ms', '—', '—', '—', '0', '']);
  });
});

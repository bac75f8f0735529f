import { describe, expect, it } from 'vitest';
import { matchesFilter, matchesValue, parseQidoQuery, selectAttributes } from './qido';
import type { DicomJsonDataset } from './dicomJson';

const dataset: DicomJsonDataset = {
  '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Hartley^Ann' }] },
  '00100020': { vr: 'LO', Value: ['NCC001'] },
  '00101000': { vr: 'LO', Value: ['OLD77', '9434765919'] },
  '00080020': { vr: 'DA', Value: ['20240115'] },
  '00080061': { vr: 'CS', Value: ['CT', 'SR'] },
  '0020000D': { vr: 'UI', Value: ['1.2.3'] },
  '00101002': { vr: 'SQ', Value: [{ '00100020': { vr: 'LO', Value: ['9434765919'] }, '00100021': { vr: 'LO', Value: ['NHS'] } }] },
};
const filter = (key: string, value: string) => {
  const parsed = parseQidoQuery(new URLSearchParams([[key, value]]));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.query.filters[0]!;
};

describe('QIDO matching', () => {
  it('matches person names with * and ? wildcards, ignoring case', () => {
    expect(matchesValue('PN', 'Hartley^Ann', 'hart*')).toBe(true);
    expect(matchesValue('PN', 'Hartley^Ann', 'H?RTLEY^ANN')).toBe(true);
    expect(matchesValue('PN', 'Hartley^Ann', 'Hartle?')).toBe(false);
    expect(matchesValue('PN', 'Hartley^Ann', 'hartley^ann')).toBe(true);
  });

  it('keeps other strings case-sensitive and treats regex characters literally', () => {
    expect(matchesValue('LO', 'NCC001', 'ncc001')).toBe(false);
    expect(matchesValue('LO', 'A.B', 'A?B')).toBe(true);
    expect(matchesValue('LO', 'AxB', 'A.B')).toBe(false);
  });

  it('matches date ranges closed, open-ended and exact', () => {
    expect(matchesValue('DA', '20240115', '20240101-20240131')).toBe(true);
    expect(matchesValue('DA', '20240115', '20240116-')).toBe(false);
    expect(matchesValue('DA', '20240115', '-20240115')).toBe(true);
    expect(matchesValue('DA', '20240115', '20240115')).toBe(true);
    expect(matchesValue('DA', '20240115', '20240114')).toBe(false);
  });

  it('matches a multi-valued attribute when any of its values matches', () => {
    expect(matchesFilter(dataset, filter('00101000', '9434765919'))).toBe(true);
    expect(matchesFilter(dataset, filter('OtherPatientIDs', 'OLD77'))).toBe(true);
    expect(matchesFilter(dataset, filter('00101000', '943476591'))).toBe(false);
    expect(matchesFilter(dataset, filter('ModalitiesInStudy', 'SR'))).toBe(true);
  });

  it('matches a UID list and inside sequences', () => {
    expect(matchesFilter(dataset, filter('StudyInstanceUID', '9.9,1.2.3'))).toBe(true);
    expect(matchesFilter(dataset, filter('StudyInstanceUID', '1.2'))).toBe(false);
    expect(matchesFilter(dataset, filter('OtherPatientIDsSequence.PatientID', '9434765919'))).toBe(true);
    expect(matchesFilter(dataset, filter('00101002.00100020', '0000000000'))).toBe(false);
  });

  it('treats an empty value as universal and an absent attribute as no match', () => {
    expect(matchesFilter(dataset, filter('AccessionNumber', ''))).toBe(true);
    expect(matchesFilter(dataset, filter('AccessionNumber', 'ACC1'))).toBe(false);
  });
});

describe('parseQidoQuery and attribute selection', () => {
  it('reads includefield by keyword and tag, limit and offset', () => {
    const parsed = parseQidoQuery(new URLSearchParams('includefield=PatientID,00101000&includefield=00080020&limit=5&offset=2'));
    expect(parsed).toEqual({ ok: true, query: { filters: [], includeFields: ['00100020', '00101000', '00080020'], limit: 5, offset: 2 } });
  });

  it('rejects unknown keywords instead of ignoring them (which would return everyone)', () => {
    expect(parseQidoQuery(new URLSearchParams('PatientIdentifier=1'))).toEqual({ ok: false, error: 'unknown query attribute "PatientIdentifier"' });
    expect(parseQidoQuery(new URLSearchParams('limit=-1')).ok).toBe(false);
  });

  it('returns defaults, matching keys and included fields, and nothing else', () => {
    const parsed = parseQidoQuery(new URLSearchParams('00101000=9434765919'));
    if (!parsed.ok) throw new Error(parsed.error);
    const selected = selectAttributes(dataset, ['study'], parsed.query);
    expect(Object.keys(selected).sort()).toEqual(['00080020', '00080061', '00100010', '00100020', '00101000', '0020000D']);
    const all = parseQidoQuery(new URLSearchParams('includefield=all'));
    if (!all.ok) throw new Error(all.error);
    expect(Object.keys(selectAttributes(dataset, ['study'], all.query))).toContain('00101002');
  });
});

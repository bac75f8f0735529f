import { describe, expect, it } from 'vitest';
import { nationalIdsOf, recordFromDataset, type DicomJsonDataset } from './record';
import { nameKey, withinOneEdit } from './names';

const NHS = '9990764875';
const context = { siteId: 'site-b', nationalIdIssuer: 'NHS', source: 'indexer' as const, metadataSeen: true, seenAt: '2025-06-01T00:00:00.000Z' };

function dataset(fields: Record<string, unknown[]>, vr: Record<string, string> = {}): DicomJsonDataset {
  return Object.fromEntries(Object.entries(fields).map(([tag, Value]) => [tag, { vr: vr[tag] ?? 'LO', Value }]));
}
const sequence = (...items: [string, string][]) =>
  items.map(([id, issuer]) => ({ '00100020': { vr: 'LO', Value: [id] }, '00100021': { vr: 'LO', Value: [issuer] } }));

describe('national IDs a record carries', () => {
  it('reads an NHS number that sits only in OtherPatientIDsSequence', () => {
    const ds = dataset({ '00100020': ['7465873'], '00100021': ['RDH'], '00101002': sequence([NHS, 'NHS']) }, { '00101002': 'SQ' });
    expect(nationalIdsOf(ds, 'NHS')).toEqual([NHS]);
  });

  it('normalises the spaced form in OtherPatientIDs and in the sequence', () => {
    const ds = dataset({ '00101000': ['999 076 4875'], '00101002': sequence(['999 076 4875', 'NHS']) }, { '00101002': 'SQ' });
    expect(nationalIdsOf(ds, 'NHS')).toEqual([NHS]);
  });

  it('ignores a number whose check digit is wrong', () => {
    const ds = dataset({ '00101000': ['9990764876'], '00101002': sequence(['9990764876', 'NHS']) }, { '00101002': 'SQ' });
    expect(nationalIdsOf(ds, 'NHS')).toEqual([]);
  });

  it('takes PatientID and sequence items only under the national issuer', () => {
    const local = dataset({ '00100020': [NHS], '00100021': ['RDH'], '00101002': sequence([NHS, 'RDH']) }, { '00101002': 'SQ' });
    expect(nationalIdsOf(local, 'NHS')).toEqual([]);
    const national = dataset({ '00100020': [NHS], '00100021': ['NHS'] });
    expect(nationalIdsOf(national, 'NHS')).toEqual([NHS]);
  });

  it('splits a multi-valued OtherPatientIDs', () => {
    expect(nationalIdsOf(dataset({ '00101000': ['12345', `${NHS}\\9996716082`] }), 'NHS')).toEqual([NHS, '9996716082']);
  });
});

describe('recordFromDataset', () => {
  it('keeps DICOM values as the site wrote them, every PN group included', () => {
    const ds = dataset(
      {
        '0020000D': ['1.2.3'],
        '00100010': [{ Alphabetic: '<img src', Ideographic: 'x onerror', Phonetic: 'alert(1)>' }],
        '00100030': ['19630314'],
        '00080060': ['CR'],
      },
      { '00100010': 'PN' },
    );
    expect(recordFromDataset(ds, context)).toEqual({
      siteId: 'site-b', StudyInstanceUID: '1.2.3', nationalIds: [], PatientName: '<img src=x onerror=alert(1)>', PatientBirthDate: '19630314',
      ModalitiesInStudy: ['CR'], source: 'indexer', seenAt: context.seenAt, metadataSeen: true,
    });
  });

  it('gives nothing for a dataset without a StudyInstanceUID', () => {
    expect(recordFromDataset(dataset({ '00100020': ['1'] }), context)).toBeUndefined();
  });
});

describe('demographic keys', () => {
  it('upper-cases, drops punctuation, accents and extra carets, and keeps family and given apart', () => {
    expect(nameKey("o'Brien-Smith^Zoë^^Dr")).toEqual({ family: 'OBRIENSMITH', given: 'ZOE' });
    expect(nameKey('FAIRWEATHER^^^')).toEqual({ family: 'FAIRWEATHER', given: '' });
    expect(nameKey(undefined)).toEqual({ family: '', given: '' });
  });

  it('tolerates exactly one substitution, insertion or deletion', () => {
    expect(withinOneEdit('FAIRWEATHER', 'FEIRWEATHER')).toBe(true);
    expect(withinOneEdit('FAIRWEATHER', 'FAIRWEATHERS')).toBe(true);
    expect(withinOneEdit('FAIRWEATHER', 'FARWEATHER')).toBe(true);
    expect(withinOneEdit('FAIRWEATHER', 'FEIRWEATHERS')).toBe(false);
    expect(withinOneEdit('FAIRWEATHER', 'FIARWEATHER')).toBe(false);
  });
});

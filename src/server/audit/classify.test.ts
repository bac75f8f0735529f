import { describe, expect, it } from 'vitest';
import { classifySiteRequest, isReportDataset, patientIdsFromKeys, patientIdsOf, readAnswer, type DicomJsonDataset } from './classify';

const ds = (fields: Record<string, unknown[]>): DicomJsonDataset => Object.fromEntries(Object.entries(fields).map(([tag, Value]) => [tag, { vr: 'LO', Value }]));

describe('site request classification', () => {
  it('reads a studies-level QIDO as a search, keeping the patient keys in keyword or tag form', () => {
    expect(classifySiteRequest('GET', 'studies', '?PatientID=A-7734&includefield=all')).toEqual({ kind: 'search', studyUid: null, keyPatientIds: ['A-7734'], level: 'studies' });
    expect(classifySiteRequest('GET', 'studies/', '?00101000=999%20076%204875')).toMatchObject({ kind: 'search', keyPatientIds: ['9990764875'] });
    expect(classifySiteRequest('GET', 'series', '?StudyDate=20250101')).toMatchObject({ kind: 'search', keyPatientIds: [], level: 'series' });
  });

  it('reads the series list and series or study metadata as opening that study', () => {
    expect(classifySiteRequest('GET', 'studies/1.2.3/series', '')).toEqual({ kind: 'study-open', studyUid: '1.2.3', jsonAnswer: true });
    expect(classifySiteRequest('GET', 'studies/1.2.3/series/4.5/metadata', '')).toMatchObject({ kind: 'study-open', studyUid: '1.2.3' });
    expect(classifySiteRequest('GET', 'studies/1.2.3/metadata', '')).toMatchObject({ kind: 'study-open', studyUid: '1.2.3' });
  });

  it('reads frames, instances, rendered images and bulk data as retrieves of their study', () => {
    expect(classifySiteRequest('GET', 'studies/1.2.3/series/4.5/instances/6.7/frames/1,2', '')).toEqual({ kind: 'retrieve', studyUid: '1.2.3', sopInstanceUid: '6.7' });
    expect(classifySiteRequest('GET', 'studies/1.2.3/series/4.5/instances/6.7/bulk/00420011', '')).toMatchObject({ kind: 'retrieve', sopInstanceUid: '6.7' });
    expect(classifySiteRequest('GET', 'studies/1.2.3/series/4.5/rendered', '')).toEqual({ kind: 'retrieve', studyUid: '1.2.3', sopInstanceUid: null });
    expect(classifySiteRequest('GET', 'studies/1.2.3', '')).toEqual({ kind: 'retrieve', studyUid: '1.2.3', sopInstanceUid: null });
  });

  it('reads one instance metadata apart (a report is its metadata) and a search inside a study as a search', () => {
    expect(classifySiteRequest('GET', 'studies/1.2.3/series/4.5/instances/6.7/metadata', '')).toEqual({ kind: 'instance-metadata', studyUid: '1.2.3', sopInstanceUid: '6.7' });
    expect(classifySiteRequest('GET', 'studies/1.2.3/instances', '?SOPClassUID=1.2.840.10008.5.1.4.1.1.88.33')).toMatchObject({ kind: 'search', studyUid: '1.2.3', level: 'instances' });
  });

  it('reads STOW-RS as a store and ignores what touches no patient data', () => {
    expect(classifySiteRequest('POST', 'studies', '')).toEqual({ kind: 'store', studyUid: null });
    expect(classifySiteRequest('POST', 'studies/1.2.3', '')).toEqual({ kind: 'store', studyUid: '1.2.3' });
    expect(classifySiteRequest('GET', '', '')).toBeUndefined();
    expect(classifySiteRequest('DELETE', 'studies/1.2.3', '')).toBeUndefined();
    expect(classifySiteRequest('GET', 'workitems', '')).toBeUndefined();
  });

  it('decodes percent-encoded UIDs', () => {
    expect(classifySiteRequest('GET', 'studies/1.2%2E3/series', '')).toMatchObject({ studyUid: '1.2.3' });
  });
});

describe('patient identifiers', () => {
  it('takes PatientID, every OtherPatientIDs value and the IDs in OtherPatientIDsSequence, NHS numbers as digits', () => {
    const dataset = ds({ '00100020': ['A-7734'], '00101000': ['999 076 4875\\LOCAL-9'], '00101002': [ds({ '00100020': ['9990764875'], '00100021': ['NHS'] })] });
    expect(patientIdsOf(dataset)).toEqual(['A-7734', '9990764875', 'LOCAL-9']);
  });

  it('never takes names or dates', () => {
    expect(patientIdsOf(ds({ '00100010': [{ Alphabetic: 'DOE^JANE' }], '00100030': ['19600101'] }))).toEqual([]);
    expect(patientIdsFromKeys('?PatientName=DOE*&PatientBirthDate=19600101')).toEqual([]);
  });

  it('keeps a mistyped NHS number as typed (it is still what was asked for)', () => {
    expect(patientIdsFromKeys('?PatientID=999 076 4876')).toEqual(['999 076 4876']);
  });
});

describe('what an answer disclosed', () => {
  const sr = ds({ '00080016': ['1.2.840.10008.5.1.4.1.1.88.33'], '00080018': ['9.1'], '0020000D': ['1.2.3'], '00100020': ['A-7734'] });
  const ct = ds({ '00080016': ['1.2.840.10008.5.1.4.1.1.2'], '00080018': ['9.2'], '0020000D': ['1.2.3'], '00100020': ['A-7734'] });

  it('knows reports by SOP class, or by Modality SR/DOC when the class is absent', () => {
    expect(isReportDataset(sr)).toBe(true);
    expect(isReportDataset(ct)).toBe(false);
    expect(isReportDataset(ds({ '00080060': ['DOC'] }))).toBe(true);
    expect(isReportDataset(ds({ '00080016': ['1.2.840.10008.5.1.4.1.1.88.67'] }))).toBe(false);
  });

  it('groups patient IDs by study and says whether every object was a report', () => {
    const facts = readAnswer([sr, ct, ds({ '0020000D': ['7.7'], '00100020': ['B-1'] })]);
    expect(Object.fromEntries(facts.patientIdsByStudy)).toEqual({ '1.2.3': ['A-7734'], '7.7': ['B-1'] });
    expect(facts.reportInstances).toEqual(['9.1']);
    expect(facts.allReports).toBe(false);
    expect(readAnswer([sr]).allReports).toBe(true);
    expect(readAnswer([]).allReports).toBe(false);
  });
});

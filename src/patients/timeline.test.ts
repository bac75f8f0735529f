import { describe, expect, it } from 'vitest';
import { recheckSiteAnswer, studyQueriesFor } from './findPatient';
import { buildTimeline, formatDicomDate } from './timeline';
import type { Site } from '../sites/index';

const siteA: Site = { id: 'site-a', name: 'A', patientIdIssuer: 'NCC', dicomwebRoot: 'http://gw/sites/site-a/dicom-web', state: 'ok' };
const study = (uid: string, date: string, extra: Record<string, { vr: string; Value: unknown[] }> = {}) => ({
  '0020000D': { vr: 'UI', Value: [uid] },
  '00080020': { vr: 'DA', Value: [date] },
  '00100020': { vr: 'LO', Value: ['NCC1'] },
  '00101000': { vr: 'LO', Value: ['9434765919'] },
  ...extra,
});

describe('timeline', () => {
  it('lists studies newest first and keeps a study held at two sites once, with both locations', () => {
    const answerA = recheckSiteAnswer(siteA, { kind: 'national', nationalId: '9434765919', issuer: 'NHS' }, [study('1.1', '20250101'), study('1.2', '20260301')]);
    const siteB = { ...siteA, id: 'site-b', patientIdIssuer: 'RDH' };
    const answerB = recheckSiteAnswer(siteB, { kind: 'national', nationalId: '9434765919', issuer: 'NHS' }, [study('1.1', '20250101'), study('1.3', '20251001')]);
    const timeline = buildTimeline([...answerA.studies, ...answerB.studies]);
    expect(timeline.map((s) => s.StudyInstanceUID)).toEqual(['1.2', '1.3', '1.1']);
    expect(timeline[2]?.locations.map((l) => l.siteId)).toEqual(['site-a', 'site-b']);
    expect(timeline[2]?.locations[1]).toMatchObject({ IssuerOfPatientID: 'RDH', linkBasis: 'national-id' });
  });

  it('drops records a site returned for another person and counts them', () => {
    const other = study('9.9', '20260101', { '00101000': { vr: 'LO', Value: ['4010232137'] } });
    const answer = recheckSiteAnswer(siteA, { kind: 'national', nationalId: '9434765919', issuer: 'NHS' }, [study('1.1', '20250101'), other]);
    expect(answer.studies).toHaveLength(1);
    expect(answer.rejected).toBe(1);
  });

  it('asks a site by local ID only when the ID was issued by that site, and by national ID in both places it may sit', () => {
    expect(studyQueriesFor({ kind: 'local', patientId: 'X', issuer: 'RDH' }, siteA)).toEqual([]);
    expect(studyQueriesFor({ kind: 'local', patientId: 'X', issuer: 'NCC' }, siteA)).toMatchObject([{ PatientID: 'X', IssuerOfPatientID: 'NCC' }]);
    expect(studyQueriesFor({ kind: 'national', nationalId: '9434765919', issuer: 'NHS' }, siteA)).toMatchObject([
      { '00101000': '9434765919' },
      { PatientID: '9434765919', IssuerOfPatientID: 'NHS' },
    ]);
  });

  it('formats DICOM dates unambiguously', () => {
    expect(formatDicomDate('20260314')).toBe('14 Mar 2026');
    expect(formatDicomDate('')).toBe('date unknown');
  });
});

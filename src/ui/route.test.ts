import { describe, expect, it } from 'vitest';
import { parseRoute } from './route';

describe('parseRoute', () => {
  it('reads an IHE IID patient launch', () => {
    expect(parseRoute('/IHEInvokeImageDisplay', '?requestType=PATIENT&patientID=9434765919%5E%5E%5ENHS')).toEqual({ kind: 'launch-patient', patientID: '9434765919^^^NHS' });
  });
  it('reads a study launch with several UIDs', () => {
    expect(parseRoute('/IHEInvokeImageDisplay', '?requestType=STUDY&studyUID=1.2.3,1.2.4')).toEqual({ kind: 'launch-study', StudyInstanceUIDs: ['1.2.3', '1.2.4'] });
  });
  it('explains a launch it cannot follow', () => {
    expect(parseRoute('/IHEInvokeImageDisplay', '?requestType=STUDY&studyUID=<script>')).toMatchObject({ kind: 'invalid' });
    expect(parseRoute('/IHEInvokeImageDisplay', '?requestType=PATIENT')).toMatchObject({ kind: 'invalid' });
    expect(parseRoute('/IHEInvokeImageDisplay', '?requestType=FOO')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('FOO') });
  });
  it('reads the app routes', () => {
    expect(parseRoute('/patient/nhs-9434765919', '')).toEqual({ kind: 'patient', linkId: 'nhs-9434765919' });
    expect(parseRoute('/', '')).toEqual({ kind: 'home' });
    expect(parseRoute('/audit', '')).toEqual({ kind: 'audit' });
  });
});

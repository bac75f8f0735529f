import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TimelineStudy } from '../patients/index';
import type { Site } from '../sites/index';
import type { MeasurementArchive } from './measurementsSlice';
import { silentGateway } from './testGateway';
import { createCrossviewStore } from './store';

const siteA: Site = { id: 'a', name: 'Hospital A', patientIdIssuer: 'A', dicomwebRoot: 'http://gw/sites/a/dicom-web', state: 'ok' };
const siteB: Site = { ...siteA, id: 'b', name: 'Hospital B', dicomwebRoot: 'http://gw/sites/b/dicom-web' };
const study: TimelineStudy = {
  StudyInstanceUID: '2.25.7',
  StudyDate: '20250101',
  StudyTime: '',
  StudyDescription: '',
  AccessionNumber: '',
  ModalitiesInStudy: ['CT'],
  PatientName: 'TEST^Pat',
  PatientBirthDate: '19700101',
  locations: [
    { siteId: 'a', PatientID: 'P1', IssuerOfPatientID: 'A', linkBasis: 'national-id' },
    { siteId: 'b', PatientID: 'Q1', IssuerOfPatientID: 'B', linkBasis: 'national-id' },
  ],
};

/** An archive whose lookups wait until released, recording what was asked. */
function fakeArchive() {
  const asked: { StudyInstanceUID: string; siteIds: string[] }[] = [];
  const release: ((files: ArrayBuffer[]) => void)[] = [];
  const stored: { siteId: string; count: number }[] = [];
  const archive: MeasurementArchive = {
    find: (StudyInstanceUID, sites) => {
      asked.push({ StudyInstanceUID, siteIds: sites.map((s) => s.id) });
      return new Promise((resolve) => release.push(resolve));
    },
    store: (site, report) => {
      stored.push({ siteId: site.id, count: report.count });
      return Promise.resolve({ kind: 'saved', count: report.count, siteName: site.name, SOPInstanceUID: report.SOPInstanceUID });
    },
  };
  return { archive, asked, release, stored };
}

function storeWith(archive?: MeasurementArchive) {
  const store = createCrossviewStore('http://gw', archive);
  store.setState({ sites: { a: siteA, b: siteB }, siteOrder: ['a', 'b'], sitesLoad: { kind: 'ready' }, timeline: [study] });
  return store;
}

afterEach(() => vi.unstubAllGlobals());

describe('saved measurements', () => {
  it('are looked for at every site holding the study as soon as it is selected, before its series list answers', async () => {
    // The gateway never answers the series search: the lookup must not wait for it.
    silentGateway();
    const fake = fakeArchive();
    const store = storeWith(fake.archive);
    void store.getState().selectStudy(study.StudyInstanceUID, 'a');
    expect(fake.asked).toEqual([{ StudyInstanceUID: '2.25.7', siteIds: ['a', 'b'] }]);
    expect(store.getState().savedMeasurements).toEqual({ StudyInstanceUID: '2.25.7', files: { kind: 'loading' } });
    const file = new ArrayBuffer(8);
    fake.release[0]!([file]);
    await vi.waitFor(() => expect(store.getState().savedMeasurements?.files).toEqual({ kind: 'ready', files: [file] }));
    expect(store.getState().openStudy?.series).toEqual({ kind: 'loading' });
  });

  it('drop a late answer for a study the reader has left', async () => {
    silentGateway();
    const fake = fakeArchive();
    const store = storeWith(fake.archive);
    void store.getState().findSavedMeasurements('2.25.7', 'a');
    void store.getState().findSavedMeasurements('2.25.8', 'b');
    expect(fake.asked.map((a) => a.siteIds)).toEqual([['a', 'b'], ['b']]); // 2.25.8 is not on the timeline: its own site
    fake.release[0]!([new ArrayBuffer(4)]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(store.getState().savedMeasurements).toEqual({ StudyInstanceUID: '2.25.8', files: { kind: 'loading' } });
  });

  it('are saved to the open series’ own site, and the outcome is told', async () => {
    const fake = fakeArchive();
    const store = storeWith(fake.archive);
    store.setState({ viewports: [{ viewportId: 'vp-1', siteId: 'b', StudyInstanceUID: '2.25.7', SeriesInstanceUID: '2.25.7.1', load: { kind: 'loading-metadata' }, imageIndex: 0, imageTotal: 0, firstImageShown: true }] });
    const outcome = await store.getState().saveMeasurements({ kind: 'ok', part10: new ArrayBuffer(4), count: 2, SOPInstanceUID: '2.25.9' });
    expect(outcome).toMatchObject({ kind: 'saved', siteName: 'Hospital B' });
    expect(fake.stored).toEqual([{ siteId: 'b', count: 2 }]);
    expect(store.getState().measurementsMessage).toEqual({ kind: 'ok', text: '2 measurements saved to Hospital B' });

    await store.getState().saveMeasurements({ kind: 'nothing-to-save' });
    expect(store.getState().measurementsMessage).toEqual({ kind: 'error', text: 'There are no measurements to save.' });
    expect(fake.stored).toHaveLength(1);

    store.getState().noteMeasurementsLoaded(1);
    expect(store.getState().measurementsMessage).toEqual({ kind: 'ok', text: '1 saved measurement loaded' });
  });

  it('without an archive, a lookup finds nothing and saving says it is not available', async () => {
    const store = storeWith();
    store.setState({ viewports: [{ viewportId: 'vp-1', siteId: 'a', StudyInstanceUID: '2.25.7', SeriesInstanceUID: '2.25.7.1', load: { kind: 'loading-metadata' }, imageIndex: 0, imageTotal: 0, firstImageShown: true }] });
    await store.getState().findSavedMeasurements('2.25.7', 'a');
    expect(store.getState().savedMeasurements).toEqual({ StudyInstanceUID: '2.25.7', files: { kind: 'ready', files: [] } });
    await store.getState().saveMeasurements({ kind: 'ok', part10: new ArrayBuffer(4), count: 1, SOPInstanceUID: '2.25.9' });
    expect(store.getState().measurementsMessage?.kind).toBe('error');
  });
});

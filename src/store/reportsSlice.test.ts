import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TimelineStudy } from '../patients/index';
import type { Site } from '../sites/index';
import { createCrossviewStore } from './store';

const site: Site = { id: 'a', name: 'Hospital A', patientIdIssuer: 'A', dicomwebRoot: 'http://gw/sites/a/dicom-web', state: 'ok' };
const study = (n: number): TimelineStudy => ({
  StudyInstanceUID: `2.25.${n}`,
  StudyDate: '20250101',
  StudyTime: '',
  StudyDescription: '',
  AccessionNumber: '',
  ModalitiesInStudy: ['CT'],
  PatientName: 'TEST^Pat',
  PatientBirthDate: '19700101',
  locations: [{ siteId: 'a', PatientID: 'P1', IssuerOfPatientID: 'A', linkBasis: 'national-id' }],
});

/** fetch that answers "no report" after `release()` or at once, recording order and concurrency. */
function gatedFetch(gated: boolean) {
  const started: string[] = [];
  const waiting: (() => void)[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetchFn = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    started.push(String(input));
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      if (gated) {
        await new Promise<void>((resolve, reject) => {
          waiting.push(resolve);
          init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        });
      }
      return new Response(null, { status: 204 });
    } finally {
      inFlight--;
    }
  });
  return { fetchFn, started, releaseAll: () => waiting.splice(0).forEach((r) => r()), maxInFlight: () => maxInFlight };
}

function storeWithSite() {
  const store = createCrossviewStore('http://gw');
  store.setState({ sites: { a: site }, siteOrder: ['a'], sitesLoad: { kind: 'ready' } });
  return store;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

afterEach(() => vi.unstubAllGlobals());

describe('reports slice', () => {
  it('looks up every study once the timeline arrives, a few at a time, and says missing for each', async () => {
    const fake = gatedFetch(false);
    vi.stubGlobal('fetch', fake.fetchFn);
    const store = storeWithSite();
    const timeline = Array.from({ length: 7 }, (_, i) => study(i + 1));
    store.setState({ query: { kind: 'national', nationalId: '9990764875', issuer: 'NHS' }, timeline });
    await vi.waitFor(() => expect(Object.values(store.getState().reportLookups).every((l) => l.kind === 'done')).toBe(true));
    expect(Object.keys(store.getState().reportLookups)).toHaveLength(7);
    expect(store.getState().reportLookups['2.25.1']).toEqual({ kind: 'done', report: { state: 'missing', checkedSites: ['a'], failedSites: [] } });
    expect(fake.maxInFlight()).toBeLessThanOrEqual(3);
    // The same timeline again (another site answered with nothing new) asks nothing more.
    store.setState({ timeline: [...timeline] });
    await settle();
    expect(fake.fetchFn).toHaveBeenCalledTimes(7);
  });

  it('looks the selected study up first, ahead of the queue', async () => {
    const fake = gatedFetch(true);
    vi.stubGlobal('fetch', fake.fetchFn);
    const store = storeWithSite();
    store.setState({ query: { kind: 'local', patientId: 'P1', issuer: 'A' }, timeline: Array.from({ length: 6 }, (_, i) => study(i + 1)) });
    await settle();
    expect(fake.started).toHaveLength(3);
    store.setState({ openStudy: { StudyInstanceUID: '2.25.6', siteId: 'a', series: { kind: 'loading' } } });
    await settle();
    expect(fake.started[3]).toContain('/studies/2.25.6/');
    fake.releaseAll();
  });

  it('drops the last patient\'s lookups when another patient opens', async () => {
    const fake = gatedFetch(true);
    vi.stubGlobal('fetch', fake.fetchFn);
    const store = storeWithSite();
    store.setState({ query: { kind: 'local', patientId: 'P1', issuer: 'A' }, timeline: [study(1), study(2)] });
    await settle();
    expect(store.getState().reportLookups['2.25.1']).toEqual({ kind: 'loading' });
    store.setState({ query: { kind: 'local', patientId: 'P2', issuer: 'A' }, timeline: [] });
    fake.releaseAll();
    await settle();
    expect(store.getState().reportLookups).toEqual({});
  });
});

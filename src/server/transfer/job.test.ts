import dcmjs from 'dcmjs';
import { describe, expect, it } from 'vitest';
import { createTransferJob } from './job';
import type { InstanceRef, Outcome, TransferSites } from './transferSites';

const { DicomDict, DicomMessage, DicomMetaDictionary } = dcmjs.data;

function part10(SOPInstanceUID: string): ArrayBuffer {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: '1.2.840.10008.5.1.4.1.1.88.22',
    MediaStorageSOPInstanceUID: SOPInstanceUID,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    ImplementationClassUID: '1.2.826.0.1.3680043.10.1096.1',
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset({ SOPClassUID: '1.2.840.10008.5.1.4.1.1.88.22', SOPInstanceUID, StudyInstanceUID: '1.2.3', PatientID: 'NC1', IssuerOfPatientID: 'NCC' });
  return dict.write();
}

/** A source with `count` instances and a target that can be switched off, recording what it stored. */
function fakeSites(count: number) {
  const refs: InstanceRef[] = Array.from({ length: count }, (_, i) => ({ SeriesInstanceUID: '1.2.3.4', SOPInstanceUID: `1.2.3.4.${i + 1}` }));
  const stored = new Map<string, string>();
  let targetUp = true;
  let inFlight = 0;
  let maxInFlight = 0;
  let retrieves = 0;
  const sites: TransferSites = {
    listInstances: async () => ({ ok: true, value: refs }),
    instanceMetadata: async () => ({ ok: false, error: 'unused' }),
    studiesByNationalId: async () => ({ ok: true, value: [] }),
    async retrieve(_site, _study, ref) {
      retrieves++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      return { ok: true, value: part10(ref.SOPInstanceUID) };
    },
    async store(_site, bytes, SOPInstanceUID): Promise<Outcome<void>> {
      if (!targetUp) return { ok: false, error: 'HTTP 502: Meadow refused the connection (ECONNREFUSED)' };
      const back = DicomMetaDictionary.naturalizeDataset(DicomMessage.readFile(bytes).dict);
      stored.set(SOPInstanceUID, String(back.PatientID));
      return { ok: true, value: undefined };
    },
  };
  return {
    refs,
    sites,
    stored,
    setTargetUp: (up: boolean) => (targetUp = up),
    stats: () => ({ maxInFlight, retrieves }),
  };
}

const base = {
  id: 't1',
  request: { studyUid: '1.2.3', fromSiteId: 'site-a', toSiteId: 'site-c' },
  target: { PatientID: '5526506', IssuerOfPatientID: 'MII', nationalId: '9990764875' },
  nationalIdIssuer: 'NHS',
  sourceName: 'Northgate',
};

describe('transfer job', () => {
  it('goes queued → running → done and stores every instance under the target ID', async () => {
    const fake = fakeSites(5);
    const job = createTransferJob({ ...base, instances: fake.refs, sites: fake.sites });
    expect(job.status().state).toBe('queued');
    const run = job.start();
    expect(job.status().state).toBe('running');
    await run;
    const status = job.status();
    expect(status).toMatchObject({ state: 'done', total: 5, sent: 5, failed: 0, targetPatientID: '5526506' });
    expect([...fake.stored.values()]).toEqual(Array(5).fill('5526506'));
  });

  it('keeps at most `concurrency` instances in flight', async () => {
    const fake = fakeSites(8);
    await createTransferJob({ ...base, instances: fake.refs, sites: fake.sites, concurrency: 2 }).start();
    expect(fake.stats().maxInFlight).toBe(2);
  });

  it('records failures with their reason, and a retry re-sends only the failed instances', async () => {
    const fake = fakeSites(6);
    const runs: { retry: boolean; attempted: number; failed: number }[] = [];
    // The target goes down once the third instance has been stored (and stays down until told).
    let wentDown = false;
    const sites: TransferSites = {
      ...fake.sites,
      async store(site, bytes, uid) {
        if (fake.stored.size >= 3 && !wentDown) {
          wentDown = true;
          fake.setTargetUp(false);
        }
        return fake.sites.store(site, bytes, uid);
      },
    };
    const job = createTransferJob({ ...base, instances: fake.refs, sites, concurrency: 1, onRunFinished: (s, run) => runs.push({ ...run, failed: s.failed }) });
    await job.start();
    const partly = job.status();
    expect(partly).toMatchObject({ state: 'failed-partly', sent: 3, failed: 3 });
    expect(partly.instances.filter((i) => i.outcome === 'failed').every((i) => /storing at the target: HTTP 502/.test(i.reason ?? ''))).toBe(true);

    fake.setTargetUp(true);
    const retrievesBefore = fake.stats().retrieves;
    await job.retry()!;
    const fixed = job.status();
    expect(fixed).toMatchObject({ state: 'done', sent: 6, failed: 0 });
    expect(fixed.instances.every((i) => i.reason === undefined)).toBe(true);
    expect(fake.stats().retrieves - retrievesBefore).toBe(3);
    expect(runs).toEqual([
      { retry: false, attempted: 6, failed: 3 },
      { retry: true, attempted: 3, failed: 0 },
    ]);
  });

  it('offers no retry while nothing failed', async () => {
    const fake = fakeSites(2);
    const job = createTransferJob({ ...base, instances: fake.refs, sites: fake.sites });
    await job.start();
    expect(job.retry()).toBeUndefined();
  });

  it('fails an instance the source cannot give, and goes on with the rest', async () => {
    const fake = fakeSites(3);
    const sites: TransferSites = {
      ...fake.sites,
      retrieve: async (site, study, ref) => (ref.SOPInstanceUID.endsWith('.2') ? { ok: false, error: 'HTTP 404' } : fake.sites.retrieve(site, study, ref)),
    };
    const job = createTransferJob({ ...base, instances: fake.refs, sites });
    await job.start();
    const status = job.status();
    expect(status).toMatchObject({ state: 'failed-partly', sent: 2, failed: 1 });
    expect(status.instances.find((i) => i.outcome === 'failed')).toMatchObject({ SOPInstanceUID: '1.2.3.4.2', reason: 'reading from the source: HTTP 404' });
  });
});

import { describe, expect, it } from 'vitest';
import { parseConfig, type CrossviewConfig } from '../../contracts/index';
import { createEmbeddedStore } from './embeddedStore';
import { createIndexer, studyDateWindows } from './indexer';
import type { SiteReader } from './siteReader';

const NHS = '9990764875';

function config(): CrossviewConfig {
  const parsed = parseConfig({
    sites: [
      { id: 'site-b', name: 'B', dicomweb: { url: 'http://127.0.0.1:1/dicom-web' }, patientIdIssuer: 'RDH' },
      { id: 'site-x', name: 'X', dicomweb: { url: 'http://127.0.0.1:2/dicom-web' }, patientIdIssuer: 'X' },
    ],
    indexer: { enabled: false, lookbackYears: 2 },
  });
  if (!parsed.ok) throw new Error(parsed.errors.join());
  return parsed.config;
}

const el = (Value: unknown[], vr = 'LO') => ({ vr, Value });
const study = { '0020000D': el(['1.2.3'], 'UI'), '00100020': el(['7465873']), '00100021': el(['RDH']), '00080020': el(['20250301'], 'DA') };
const header = { ...study, '0020000E': el(['1.2.3.4'], 'UI'), '00080018': el(['1.2.3.4.5'], 'UI'), '00101002': el([{ '00100020': el([NHS]), '00100021': el(['NHS']) }], 'SQ') };

describe('background indexer', () => {
  it('asks one StudyDate window per year back, plus anything dated later', () => {
    expect(studyDateWindows(new Date('2026-11-23T00:00:00Z'), 2)).toEqual(['20270101-', '20260101-20261231', '20250101-20251231']);
  });

  it('reads each new study header once, finds its sequence-only NHS number, and one failing site stops after its first failure', async () => {
    const asked: string[] = [];
    const read: SiteReader = async (siteId, subPath, search) => {
      asked.push(`${siteId} ${subPath} ${search.get('StudyDate') ?? ''}`);
      if (siteId === 'site-x') return { ok: false, error: 'X refused the connection (ECONNREFUSED)' };
      if (subPath === 'studies') return { ok: true, json: search.get('StudyDate') === '20250101-20251231' ? [study] : [] };
      if (subPath.endsWith('/instances')) return { ok: true, json: [header] };
      return { ok: true, json: [header] };
    };
    const store = await createEmbeddedStore();
    const lines: string[] = [];
    const indexer = createIndexer({ config: config(), store, read, log: (line) => lines.push(line), now: () => new Date('2026-11-23T00:00:00Z') });
    const status = await indexer.runOnce();
    expect(status.sites).toEqual({ 'site-b': { studies: 1 }, 'site-x': { studies: 0, lastError: 'X refused the connection (ECONNREFUSED)' } });
    expect((await store.findByNationalId(NHS)).map((e) => [e.siteId, e.StudyInstanceUID, e.source, e.metadataSeen])).toEqual([['site-b', '1.2.3', 'indexer', true]]);
    // A failing site gets at most as many requests as it has slots in flight.
    expect(asked.filter((a) => a.startsWith('site-x'))).toHaveLength(config().indexer.concurrencyPerSite);
    expect(asked.filter((a) => a.includes('metadata'))).toHaveLength(1);

    asked.length = 0;
    await indexer.runOnce();
    expect(asked.filter((a) => a.startsWith('site-b') && !a.includes(' studies '))).toEqual([]);
    expect(lines.join('\n')).not.toMatch(/7465873|9990764875/);
  });
});


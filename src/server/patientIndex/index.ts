/**
 * The gateway's patient index: national IDs, issuer-qualified local IDs and demographics →
 * (site, study). Fed by the background indexer and by the DICOM JSON the gateway passes to
 * browsers; answered at `GET /api/patients`. Entries are evidence for the browser, which
 * re-checks each against the requested identity before linking anything.
 *
 * @example
 * const index = await createPatientIndex({ config, env: process.env, read, log });
 * index.startIndexer();
 * await index.handleRequest(req, res, '?nationalId=999 076 4875');
 */
import type { ServerResponse } from 'node:http';
import type { CrossviewConfig, IndexerStatus, PatientIndexEntry, PatientIndexResponse } from '../../contracts/index';
import { sendError, sendJson } from '../httpUtil';
import { createIndexer } from './indexer';
import { openPatientIndexStore } from './openStore';
import { parsePatientQuery } from './query';
import { recordFromDataset, type DicomJsonDataset } from './record';
import type { SiteReader } from './siteReader';
import { tapKindFor, tapResponse } from './tap';

export { createLoopbackSiteReader, IndexerHeader, type SiteReader } from './siteReader';
export type { PatientIndexStore } from './store';
export { nationalIdsOf, type DicomJsonDataset } from './record';

export interface PatientIndex {
  /** `embedded` (memory + JSON-lines file) or `postgresql` (`DATABASE_URL`). */
  storeKind: 'embedded' | 'postgresql';
  /** Serves `GET /api/patients`, listing only studies at sites the asker may see. */
  handleRequest(res: ServerResponse, search: string, maySee?: (siteId: string) => boolean): Promise<void>;
  /** Taps a site response if it is DICOM JSON the index learns from; call before the response is written. */
  tap(res: ServerResponse, request: { method: string | undefined; siteId: string; subPath: string }): void;
  /** The person's issuer-qualified local IDs at one site, as the index has seen them with this national ID. */
  localIdsAt(nationalId: string, siteId: string): Promise<{ PatientID: string; IssuerOfPatientID: string }[]>;
  /** The local and national IDs the index holds for a study at a site (none when it is unknown). */
  patientIdsOfStudy(siteId: string, StudyInstanceUID: string): Promise<string[]>;
  startIndexer(): void;
  runIndexerOnce(): Promise<IndexerStatus>;
  indexerStatus(): Promise<IndexerStatus>;
  close(): Promise<void>;
}

export interface PatientIndexOptions {
  config: CrossviewConfig;
  env: NodeJS.ProcessEnv;
  read: SiteReader;
  log: (line: string) => void;
  /** Overrides config `patientIndex.path`; `null` keeps the embedded index in memory only. */
  path?: string | null;
}

export async function createPatientIndex(options: PatientIndexOptions): Promise<PatientIndex> {
  const { config } = options;
  const { kind, store } = await openPatientIndexStore({
    env: options.env,
    databaseUrl: config.database?.url,
    path: options.path === null ? undefined : (options.path ?? config.patientIndex.path),
  });
  const indexer = createIndexer({ config, store, read: options.read, log: options.log });
  const siteIds = new Set(config.sites.map((s) => s.id));
  let storeProblemLogged = false;

  function ingest(siteId: string, metadataSeen: boolean, datasets: DicomJsonDataset[]): Promise<void> {
    const seenAt = new Date().toISOString();
    const context = { siteId, nationalIdIssuer: config.identity.nationalIdIssuer, source: 'proxy' as const, metadataSeen, seenAt };
    // Series and study metadata repeat the patient for every instance: one record per study is enough.
    const byStudy = new Map<string, ReturnType<typeof recordFromDataset>>();
    for (const dataset of datasets) {
      const record = recordFromDataset(dataset, context);
      if (record && !byStudy.has(record.StudyInstanceUID)) byStudy.set(record.StudyInstanceUID, record);
    }
    return store.upsert([...byStudy.values()].filter((r) => r !== undefined)).catch((error: unknown) => {
      if (!storeProblemLogged) options.log(`patient index: store write failed (${error instanceof Error ? error.message : String(error)})`);
      storeProblemLogged = true;
    });
  }

  return {
    storeKind: kind,
    async handleRequest(res, search, maySee = () => true) {
      const parsed = parsePatientQuery(new URLSearchParams(search));
      if (!parsed.ok) {
        sendError(res, 400, { error: parsed.error });
        return;
      }
      const { query } = parsed;
      let entries: PatientIndexEntry[];
      try {
        entries =
          'nationalId' in query
            ? await store.findByNationalId(query.nationalId)
            : 'PatientID' in query
              ? await store.findByIssuerId(query.PatientID, query.IssuerOfPatientID)
              : await store.findByDemographics(query.PatientName, query.PatientBirthDate);
      } catch {
        sendError(res, 503, { error: 'The patient index is not available' });
        return;
      }
      const body: PatientIndexResponse = { query, entries: entries.filter((e) => siteIds.has(e.siteId) && maySee(e.siteId)), indexer: await indexer.status() };
      sendJson(res, 200, body);
    },
    tap(res, request) {
      const kind = tapKindFor(request.method, request.subPath);
      if (kind) tapResponse(res, (datasets) => ingest(request.siteId, kind === 'metadata', datasets));
    },
    async localIdsAt(nationalId, siteId) {
      const ids = new Map<string, { PatientID: string; IssuerOfPatientID: string }>();
      for (const entry of await store.findByNationalId(nationalId)) {
        if (entry.siteId !== siteId || !entry.PatientID || !entry.IssuerOfPatientID) continue;
        ids.set(`${entry.PatientID}^^^${entry.IssuerOfPatientID}`, { PatientID: entry.PatientID, IssuerOfPatientID: entry.IssuerOfPatientID });
      }
      return [...ids.values()];
    },
    async patientIdsOfStudy(siteId, StudyInstanceUID) {
      const record = await store.get(siteId, StudyInstanceUID).catch(() => undefined);
      return record ? [...(record.PatientID ? [record.PatientID] : []), ...record.nationalIds] : [];
    },
    startIndexer: () => indexer.start(),
    runIndexerOnce: () => indexer.runOnce(),
    indexerStatus: () => indexer.status(),
    async close() {
      await indexer.stop();
      await store.close();
    },
  };
}

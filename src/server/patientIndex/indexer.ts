/**
 * The background indexer: walks every site's studies into the patient index, so a person is
 * found at sites that file them under a local ID or hide the national ID in
 * OtherPatientIDsSequence, which no QIDO key reaches. Per pass and site: QIDO-RS `studies`
 * one StudyDate year at a time (paged), then, for each study whose full header the index has
 * not seen, one instance's WADO-RS metadata. Sites run in parallel, each with a small bound on
 * requests in flight; a failing site records its error and the others go on. Runs beside
 * requests, never in front of them; logs counts only.
 */
import type { CrossviewConfig, IndexerStatus } from '../../contracts/index';
import { recordFromDataset, type DicomJsonDataset } from './record';
import type { SiteReader } from './siteReader';
import type { PatientIndexStore } from './store';

const IncludeFields = ['00100020', '00100021', '00101000', '00100010', '00100030', '00100040', '00080061', '00080020'];
const PageSize = 500;

export interface Indexer {
  /** First pass now, then one every `intervalMs`, when enabled. */
  start(): void;
  /** One full pass (after any pass already running); resolves with the status after it. */
  runOnce(): Promise<IndexerStatus>;
  status(): Promise<IndexerStatus>;
  /** Stops the schedule and aborts a running pass. */
  stop(): Promise<void>;
}

export interface IndexerOptions {
  config: CrossviewConfig;
  store: PatientIndexStore;
  read: SiteReader;
  log: (line: string) => void;
  /** Today's date, for the year windows (tests may fix it). */
  now?: () => Date;
}

function limiter(max: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}

/** `YYYY0101-YYYY1231` for each year back to the lookback, then anything dated after this year. */
export function studyDateWindows(today: Date, lookbackYears: number): string[] {
  const year = today.getUTCFullYear();
  const windows = Array.from({ length: lookbackYears }, (_, i) => `${year - i}0101-${year - i}1231`);
  return [`${year + 1}0101-`, ...windows];
}

function datasets(json: unknown): DicomJsonDataset[] {
  return Array.isArray(json) ? json.filter((d): d is DicomJsonDataset => typeof d === 'object' && d !== null) : [];
}

function firstValue(dataset: DicomJsonDataset, tag: string): string | undefined {
  const value = dataset[tag]?.Value?.[0];
  return typeof value === 'string' ? value : undefined;
}

class SiteFailed extends Error {}

export function createIndexer(options: IndexerOptions): Indexer {
  const { config, store, read, log } = options;
  const settings = config.indexer;
  const now = options.now ?? (() => new Date());
  const errors = new Map<string, string>();
  let running: Promise<void> | undefined;
  let lastCompletedAt: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let abort = new AbortController();

  async function indexSite(siteId: string, signal: AbortSignal): Promise<{ studies: number; metadata: number }> {
    const limit = limiter(settings.concurrencyPerSite);
    const context = { siteId, nationalIdIssuer: config.identity.nationalIdIssuer, source: 'indexer' as const };
    // After the first failure, queued requests to this site are not sent (a down site fails once).
    let failure: string | undefined;
    const get = async (subPath: string, params: Record<string, string | string[]>): Promise<DicomJsonDataset[]> => {
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(params)) for (const v of [value].flat()) search.append(key, v);
      const result = await limit(async () => {
        if (failure !== undefined) return { ok: false as const, error: failure };
        const answer = await read(siteId, subPath, search, signal);
        // Set before the slot passes to the next request, so that one is not sent.
        if (!answer.ok) failure ??= answer.error;
        return answer;
      });
      if (!result.ok) throw new SiteFailed(failure ?? result.error);
      return datasets(result.json);
    };
    const seen = new Set<string>();
    await Promise.all(
      studyDateWindows(now(), settings.lookbackYears).map(async (StudyDate) => {
        for (let offset = 0; ; offset += PageSize) {
          const page = await get('studies', { StudyDate, includefield: IncludeFields, limit: String(PageSize), offset: String(offset) });
          const seenAt = new Date().toISOString();
          const records = page.flatMap((d) => recordFromDataset(d, { ...context, metadataSeen: false, seenAt }) ?? []);
          await store.upsert(records);
          for (const r of records) seen.add(r.StudyInstanceUID);
          if (page.length < PageSize) break;
        }
      }),
    );
    let metadata = 0;
    await Promise.all(
      [...seen].map(async (uid) => {
        if ((await store.get(siteId, uid))?.metadataSeen) return;
        const [instance] = await get(`studies/${encodeURIComponent(uid)}/instances`, { limit: '1' });
        const series = instance && firstValue(instance, '0020000E');
        const sop = instance && firstValue(instance, '00080018');
        if (!series || !sop) return;
        const [header] = await get(`studies/${encodeURIComponent(uid)}/series/${encodeURIComponent(series)}/instances/${encodeURIComponent(sop)}/metadata`, {});
        const record = header && recordFromDataset(header, { ...context, metadataSeen: true, seenAt: new Date().toISOString() });
        if (record?.StudyInstanceUID === uid) {
          await store.upsert([record]);
          metadata += 1;
        }
      }),
    );
    return { studies: seen.size, metadata };
  }

  async function pass(signal: AbortSignal): Promise<void> {
    const started = Date.now();
    const results = await Promise.all(
      config.sites.map(async (site) => {
        try {
          const counts = await indexSite(site.id, signal);
          errors.delete(site.id);
          return counts;
        } catch (error) {
          // Site errors are gateway messages (site name, status, code); store errors are ours.
          errors.set(site.id, error instanceof SiteFailed ? error.message : `index store: ${error instanceof Error ? error.message : String(error)}`);
          return { studies: 0, metadata: 0 };
        }
      }),
    );
    if (signal.aborted) return;
    lastCompletedAt = new Date().toISOString();
    const studies = results.reduce((n, r) => n + r.studies, 0);
    const metadata = results.reduce((n, r) => n + r.metadata, 0);
    log(`patient index: pass over ${config.sites.length} site(s): ${studies} studies, ${metadata} headers read, ${errors.size} site(s) failing, ${Date.now() - started} ms`);
  }

  function runPass(): Promise<void> {
    const previous = running ?? Promise.resolve();
    const next = previous.then(() => pass(abort.signal));
    running = next.catch(() => undefined).finally(() => {
      if (running === tracked) running = undefined;
    });
    const tracked = running;
    return next;
  }

  async function status(): Promise<IndexerStatus> {
    const counts = await store.countBySite().catch(() => ({}) as Record<string, number>);
    const sites: IndexerStatus['sites'] = {};
    for (const site of config.sites) {
      const lastError = errors.get(site.id);
      sites[site.id] = { studies: counts[site.id] ?? 0, ...(lastError ? { lastError } : {}) };
    }
    return {
      state: running ? 'running' : settings.enabled ? 'idle' : 'disabled',
      ...(lastCompletedAt ? { lastCompletedAt } : {}),
      sites,
    };
  }

  return {
    start() {
      if (!settings.enabled || timer) return;
      const tick = () => {
        if (!running) runPass().catch(() => undefined);
      };
      tick();
      timer = setInterval(tick, settings.intervalMs);
      timer.unref();
    },
    async runOnce() {
      await runPass();
      return status();
    },
    status,
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      abort.abort();
      await running?.catch(() => undefined);
      abort = new AbortController();
    },
  };
}

/**
 * The default store: every record in memory with small secondary indexes, and an append-only
 * JSON-lines file so the index survives a restart. Each upsert appends the merged record; on
 * load later lines win. When the file holds far more lines than records it is rewritten
 * (written aside, then renamed, so a crash leaves the old or the new file, never half of one).
 * The file holds patient identities: it is created readable by its owner only.
 */
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PatientIndexRecordSchema, type PatientIndexEntry, type PatientIndexRecord } from '../../contracts/index';
import { demographicMatch, nameKey } from './names';
import { mergeRecords } from './record';
import { byStudy, type PatientIndexStore } from './store';

const key = (siteId: string, uid: string) => `${siteId}\u0000${uid}`;

class MultiMap {
  private readonly map = new Map<string, Set<string>>();
  add(k: string, v: string) {
    let set = this.map.get(k);
    if (!set) this.map.set(k, (set = new Set()));
    set.add(v);
  }
  delete(k: string, v: string) {
    this.map.get(k)?.delete(v);
  }
  get(k: string): Set<string> {
    return this.map.get(k) ?? new Set();
  }
}

export interface EmbeddedStoreOptions {
  /** JSON-lines file; absent = memory only (tests). */
  path?: string;
  /** Rewrite the file when it has this many more lines than records (default 10 000). */
  compactAfterExtraLines?: number;
}

export async function createEmbeddedStore(options: EmbeddedStoreOptions = {}): Promise<PatientIndexStore> {
  const records = new Map<string, PatientIndexRecord>();
  const byNationalId = new MultiMap();
  const byIssuerId = new MultiMap();
  const byBirthDate = new MultiMap();
  const { path } = options;
  const compactAfter = options.compactAfterExtraLines ?? 10_000;
  let lines = 0;
  // After a torn last line, the next append must start on a line of its own.
  let startWithNewline = false;
  // File writes run one after another; a failed write is reported once per call, not fatal.
  let writing: Promise<void> = Promise.resolve();

  function unindex(k: string, record: PatientIndexRecord) {
    for (const id of record.nationalIds) byNationalId.delete(id, k);
    byIssuerId.delete(key(record.IssuerOfPatientID ?? '', record.PatientID ?? ''), k);
    byBirthDate.delete(record.PatientBirthDate ?? '', k);
  }
  function put(record: PatientIndexRecord) {
    const k = key(record.siteId, record.StudyInstanceUID);
    const old = records.get(k);
    if (old) unindex(k, old);
    records.set(k, record);
    for (const id of record.nationalIds) byNationalId.add(id, k);
    if (record.PatientID && record.IssuerOfPatientID) byIssuerId.add(key(record.IssuerOfPatientID, record.PatientID), k);
    if (record.PatientBirthDate) byBirthDate.add(record.PatientBirthDate, k);
  }

  if (path) {
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    startWithNewline = text.length > 0 && !text.endsWith('\n');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      lines += 1;
      try {
        const parsed = PatientIndexRecordSchema.safeParse(JSON.parse(line));
        if (parsed.success) put(parsed.data);
      } catch {
        // A torn last line (crash mid-append) is skipped; the indexer sees that study again.
      }
    }
    await mkdir(dirname(path), { recursive: true });
  }

  async function compact(file: string) {
    const aside = `${file}.compact-${process.pid}`;
    await writeFile(aside, [...records.values()].map((r) => `${JSON.stringify(r)}\n`).join(''), { mode: 0o600 });
    await rename(aside, file);
    lines = records.size;
  }

  function entries(keys: Iterable<string>, match: (r: PatientIndexRecord) => PatientIndexEntry['match'] | undefined): PatientIndexEntry[] {
    const out: PatientIndexEntry[] = [];
    for (const k of keys) {
      const record = records.get(k);
      const why = record && match(record);
      if (record && why) out.push({ ...record, match: why });
    }
    return out.sort(byStudy);
  }

  return {
    async upsert(incoming) {
      const merged = incoming.map((record) => {
        const result = mergeRecords(records.get(key(record.siteId, record.StudyInstanceUID)), record);
        put(result);
        return result;
      });
      if (!path || merged.length === 0) return;
      const text = merged.map((r) => `${JSON.stringify(r)}\n`).join('');
      writing = writing.then(async () => {
        await appendFile(path, startWithNewline ? `\n${text}` : text, { mode: 0o600 });
        startWithNewline = false;
        lines += merged.length;
        if (lines - records.size > compactAfter) await compact(path);
      });
      await writing.catch((error: unknown) => {
        writing = Promise.resolve();
        throw new Error(`patient index: cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      });
    },
    async get(siteId, uid) {
      return records.get(key(siteId, uid));
    },
    async findByNationalId(nationalId) {
      return entries(byNationalId.get(nationalId), () => 'national-id');
    },
    async findByIssuerId(PatientID, IssuerOfPatientID) {
      return entries(byIssuerId.get(key(IssuerOfPatientID, PatientID)), () => 'issuer-id');
    },
    async findByDemographics(PatientName, PatientBirthDate) {
      const { family } = nameKey(PatientName);
      return entries(byBirthDate.get(PatientBirthDate), (r) => demographicMatch(r, family, PatientBirthDate));
    },
    async countBySite() {
      const counts: Record<string, number> = {};
      for (const record of records.values()) counts[record.siteId] = (counts[record.siteId] ?? 0) + 1;
      return counts;
    },
    async close() {
      await writing.catch(() => undefined);
    },
  };
}

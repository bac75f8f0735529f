/**
 * What this gateway instance remembers between requests, so one study's hundreds of frame
 * requests become one audit line and a frame request can still name the patient: which
 * (session, site, study, action, outcome) lines are already written, the patient IDs each study
 * was seen with, and which instances are reports. Every map is bounded (oldest entries go
 * first); forgetting costs at most a repeated line, never a missing one.
 */

/** A Map that forgets its least recently used keys beyond `limit`. */
export class BoundedMap<K, V> {
  private readonly entries = new Map<K, V>();
  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

export interface SummaryKey {
  sessionId: string;
  site: string;
  studyUid: string;
  action: string;
  outcome: string;
}

export interface AccessMemory {
  /** True the first time a key is claimed; false for every later request it summarises. */
  claim(key: SummaryKey): boolean;
  /** Gives a claim back (its line could not be written, so the next request tries again). */
  release(key: SummaryKey): void;
  learnPatients(site: string, studyUid: string, patientIds: readonly string[]): void;
  patientsOf(site: string, studyUid: string): string[];
  learnReport(site: string, sopInstanceUid: string): void;
  isReport(site: string, sopInstanceUid: string): boolean;
}

const keyOf = (key: SummaryKey) => JSON.stringify([key.sessionId, key.site, key.studyUid, key.action, key.outcome]);

export function createAccessMemory(limits: { summaries?: number; studies?: number; reports?: number } = {}): AccessMemory {
  const claimed = new BoundedMap<string, true>(limits.summaries ?? 50_000);
  const patients = new BoundedMap<string, string[]>(limits.studies ?? 20_000);
  const reports = new BoundedMap<string, true>(limits.reports ?? 20_000);
  return {
    claim(key) {
      const k = keyOf(key);
      if (claimed.get(k)) return false;
      claimed.set(k, true);
      return true;
    },
    release: (key) => claimed.delete(keyOf(key)),
    learnPatients(site, studyUid, patientIds) {
      if (!studyUid || patientIds.length === 0) return;
      const k = `${site}\u0000${studyUid}`;
      patients.set(k, [...new Set([...(patients.get(k) ?? []), ...patientIds])]);
    },
    patientsOf: (site, studyUid) => patients.get(`${site}\u0000${studyUid}`) ?? [],
    learnReport: (site, sop) => reports.set(`${site}\u0000${sop}`, true),
    isReport: (site, sop) => reports.get(`${site}\u0000${sop}`) === true,
  };
}

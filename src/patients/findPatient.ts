/**
 * Opening a patient. Every site is asked at once by every identifier that can find the person
 * there (national ID in OtherPatientIDs and as PatientID, issuer-qualified local IDs), the
 * gateway's patient index adds studies a site's own query cannot find (an NHS number only in
 * OtherPatientIDsSequence, or written with spaces), and a demographic search widens the net for
 * possible matches. Every record is judged by `decideLink` in our code, whatever the site's
 * filtering did, and results stream out as they arrive.
 */
import {
  askEverySite,
  naturalize,
  retrieveInstanceMetadata,
  searchForInstances,
  searchForStudies,
  textOf,
  type DicomJsonDataset,
  type DicomRecord,
  type Site,
  type SiteOutcome,
} from '../sites/index';
import { isValidNhsNumber, normaliseNhsNumber } from '../contracts/index';
import { recordIdentity } from './identityCheck';
import { decideLink, normaliseName, type PatientAnchor } from './linking';
import type { PatientQuery } from './patientQuery';
import { buildTimeline, type SiteStudy, type TimelineStudy } from './timeline';

/** Returned with every study so the identity check and the timeline need no second request. */
const STUDY_FIELDS = ['00100010', '00100020', '00100021', '00100030', '00100040', '00101000', '00101002', '00081030', '00080020', '00080030', '00080050', '00080061', '00201206', '00201208'].join(',');

/** A study the gateway's patient index places at a site for this person. */
export interface IndexHit {
  siteId: string;
  StudyInstanceUID: string;
  match: 'national-id' | 'issuer-id' | 'demographics' | 'demographics-approximate';
}

export type IndexLookup = (query: { nationalId: string } | { PatientName: string; PatientBirthDate: string }) => Promise<IndexHit[]>;

/** The QIDO queries that find the person at one site by identifier (none when the site cannot hold that identity). */
export function studyQueriesFor(query: PatientQuery, site: Site): Record<string, string>[] {
  if (query.kind === 'national') {
    return [
      { '00101000': query.nationalId, includefield: STUDY_FIELDS },
      { PatientID: query.nationalId, IssuerOfPatientID: query.issuer, includefield: STUDY_FIELDS },
    ];
  }
  if (query.kind === 'demographics') return [demographicQuery(query.PatientName, query.PatientBirthDate)];
  if (query.issuer !== site.patientIdIssuer) return [];
  return [{ PatientID: query.patientId, IssuerOfPatientID: query.issuer, includefield: STUDY_FIELDS }];
}

/** Wide on the name (its first three letters, so a typo later in it still comes back), exact on birth date; our own matching narrows. */
function demographicQuery(PatientName: string, PatientBirthDate: string): Record<string, string> {
  const family = normaliseName(PatientName).family.replace(/ .*/, '');
  return { PatientName: `${family.slice(0, 3)}*`, PatientBirthDate, includefield: STUDY_FIELDS };
}

export interface SiteSearchResult {
  siteId: string;
  studies: number;
  /** Records the site returned that belong to someone else (its filtering was not trusted). */
  rejected: number;
}

export interface PossibleMatch extends SiteStudy {
  reasons: string[];
}

export interface PatientSearch {
  timeline: TimelineStudy[];
  possibleMatches: PossibleMatch[];
  outcomes: SiteOutcome<SiteSearchResult>[];
  /** Identity warnings to show beside the banner (conflicting demographics, invalid NHS numbers). */
  warnings: string[];
}

export interface FindOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  slowThresholdMs?: number;
  nationalIdIssuer?: string;
  indexLookup?: IndexLookup;
  onProgress?: (search: PatientSearch) => void;
}

export async function findPatientStudies(sites: readonly Site[], query: PatientQuery, options: FindOptions = {}): Promise<PatientSearch> {
  const nationalIssuer = options.nationalIdIssuer ?? 'NHS';
  const requestOptions = { ...(options.signal ? { signal: options.signal } : {}), timeoutMs: options.timeoutMs ?? 4000, slowThresholdMs: options.slowThresholdMs ?? 1500 };
  const anchor = anchorFor(query);
  const linked = new Map<string, SiteStudy>();
  const possible = new Map<string, PossibleMatch>();
  const warnings = new Set<string>();
  const rejectedBySite = new Map<string, number>();
  const outcomes: SiteOutcome<SiteSearchResult>[] = [];
  const bySite = new Map(sites.map((site) => [site.id, site]));

  const snapshot = (): PatientSearch => ({
    timeline: buildTimeline([...linked.values()]),
    possibleMatches: [...possible.values()].filter((p) => !linked.has(`${p.siteId}|${textOf(p.record, 'StudyInstanceUID')}`)),
    outcomes: [...outcomes],
    warnings: [...warnings],
  });
  const report = () => {
    if (!options.signal?.aborted) options.onProgress?.(snapshot());
  };

  const consider = (site: Site, record: DicomRecord): void => {
    const uid = textOf(record, 'StudyInstanceUID');
    if (!uid) return;
    const key = `${site.id}|${uid}`;
    if (linked.has(key)) return;
    const decision = decideLink(recordIdentity(record, site.patientIdIssuer, nationalIssuer), anchor);
    decision.warnings.forEach((w) => warnings.add(`${site.name}: ${w}`));
    if (decision.kind === 'linked') {
      linked.set(key, { siteId: site.id, siteIssuer: site.patientIdIssuer, record, linkBasis: decision.basis });
      possible.delete(key);
    } else if (decision.kind === 'possible') {
      possible.set(key, { siteId: site.id, siteIssuer: site.patientIdIssuer, record, linkBasis: 'demographics-confirmed', reasons: decision.reasons });
    } else {
      rejectedBySite.set(site.id, (rejectedBySite.get(site.id) ?? 0) + 1);
    }
  };

  /** Runs QIDO queries at one site in parallel, judging (and showing) every answer as it lands. */
  const ask = async (site: Site, queries: Record<string, string>[]): Promise<SiteOutcome<DicomJsonDataset[]> | undefined> => {
    const answers = await Promise.all(
      queries.map(async (params) => {
        const answer = await searchForStudies(site, params, requestOptions);
        if (answer.kind === 'ok') {
          answer.value.forEach((dataset) => consider(site, naturalize(dataset)));
          report();
        }
        return answer;
      }),
    );
    // The site's outcome: its worst answer, so a failure is never hidden behind a success.
    return answers.find((a) => a.kind !== 'ok') ?? answers[0];
  };

  // 1. Every site by identifier, streamed; 2. the patient index at the same time.
  const direct = askEverySite<SiteSearchResult>(
    sites.filter((site) => studyQueriesFor(query, site).length > 0),
    async (site) => {
      const answer = (await ask(site, studyQueriesFor(query, site)))!;
      if (answer.kind !== 'ok') return answer;
      const studies = [...linked.values()].filter((s) => s.siteId === site.id).length;
      return { ...answer, value: { siteId: site.id, studies, rejected: rejectedBySite.get(site.id) ?? 0 } };
    },
    { ...(options.signal ? { signal: options.signal } : {}), onOutcome: (outcome) => (outcomes.push(outcome), report()) },
  );
  const indexQuery = query.kind === 'national' ? { nationalId: query.nationalId } : query.kind === 'demographics' ? { PatientName: query.PatientName, PatientBirthDate: query.PatientBirthDate } : undefined;
  const fromIndex = indexQuery && options.indexLookup ? verifyIndexHits(await safely(options.indexLookup(indexQuery))) : Promise.resolve();

  async function verifyIndexHits(hits: IndexHit[]) {
    await Promise.all(
      hits.map(async (hit) => {
        const site = bySite.get(hit.siteId);
        if (!site || linked.has(`${site.id}|${hit.StudyInstanceUID}`)) return;
        const record = await studyRecordWithIdentity(site, hit.StudyInstanceUID);
        if (record) consider(site, record);
      }),
    );
    report();
  }

  /** QIDO gives no sequences at some sites: read OtherPatientIDsSequence from one instance's metadata. */
  async function studyRecordWithIdentity(site: Site, StudyInstanceUID: string): Promise<DicomRecord | undefined> {
    const study = await searchForStudies(site, { StudyInstanceUID, includefield: STUDY_FIELDS }, requestOptions);
    const record = study.kind === 'ok' ? study.value.map(naturalize).find((r) => textOf(r, 'StudyInstanceUID') === StudyInstanceUID) : undefined;
    if (!record || record.OtherPatientIDsSequence) return record;
    const instances = await searchForInstances(site, StudyInstanceUID, { limit: '1' }, requestOptions);
    const instance = instances.kind === 'ok' && instances.value[0] ? naturalize(instances.value[0]) : undefined;
    const series = instance && textOf(instance, 'SeriesInstanceUID');
    const sop = instance && textOf(instance, 'SOPInstanceUID');
    if (!series || !sop) return record;
    const metadata = await retrieveInstanceMetadata(site, StudyInstanceUID, series, sop, requestOptions);
    const full = metadata.kind === 'ok' && metadata.value[0] ? naturalize(metadata.value[0]) : undefined;
    return full ? { ...record, OtherPatientIDsSequence: full.OtherPatientIDsSequence } : record;
  }

  await Promise.all([direct, fromIndex]);

  // 3. Widen: the national ID and local IDs the linked records revealed, and their demographics.
  const first = [...linked.values()][0]?.record;
  if (first) {
    anchor.PatientName = textOf(first, 'PatientName');
    anchor.PatientBirthDate = textOf(first, 'PatientBirthDate');
    anchor.PatientSex = textOf(first, 'PatientSex');
    const learnedNational = new Set<string>();
    for (const study of linked.values()) {
      const identity = recordIdentity(study.record, study.siteIssuer, nationalIssuer);
      identity.nationalIds.map((id) => normaliseNhsNumber(id)).forEach((id) => id && isValidNhsNumber(id) && learnedNational.add(id));
      const { PatientID, IssuerOfPatientID } = identity;
      if (PatientID && IssuerOfPatientID && !anchor.localIds.some((l) => l.PatientID === PatientID && l.IssuerOfPatientID === IssuerOfPatientID)) {
        anchor.localIds.push({ PatientID, IssuerOfPatientID });
      }
    }
    // A search by local ID learns the person's NHS number from the records it proved, then finds
    // them everywhere by it. Two different NHS numbers mean something is wrong: link nothing more.
    const learnedNationalId = !anchor.nationalId && learnedNational.size === 1 ? [...learnedNational][0] : undefined;
    if (learnedNational.size > 1) warnings.add('records linked by local ID carry different NHS numbers: check this patient\'s identity');
    if (learnedNationalId) {
      anchor.nationalId = learnedNationalId;
      for (const [key, match] of [...possible]) {
        possible.delete(key);
        consider(bySite.get(match.siteId)!, match.record);
      }
    }
    const { family } = normaliseName(anchor.PatientName);
    const reachable = sites.filter((site) => outcomes.find((o) => o.siteId === site.id)?.kind === 'ok' || !outcomes.some((o) => o.siteId === site.id));
    await Promise.all(
      reachable.map(async (site) => {
        const national = learnedNationalId ? studyQueriesFor({ kind: 'national', nationalId: learnedNationalId, issuer: nationalIssuer }, site) : [];
        const local = anchor.localIds.filter((l) => l.IssuerOfPatientID === site.patientIdIssuer).map((l) => ({ ...l, includefield: STUDY_FIELDS }));
        const demographic = family.length >= 2 && anchor.PatientBirthDate ? [demographicQuery(anchor.PatientName ?? '', anchor.PatientBirthDate)] : [];
        const answer = await ask(site, [...national, ...local, ...demographic]);
        // Sites the first pass did not ask (a local-ID search) get their outcome from this one.
        if (answer && !outcomes.some((o) => o.siteId === site.id)) {
          const studies = [...linked.values()].filter((st) => st.siteId === site.id).length;
          outcomes.push(answer.kind === 'ok' ? { ...answer, value: { siteId: site.id, studies, rejected: rejectedBySite.get(site.id) ?? 0 } } : answer);
        }
      }),
    );
    if (options.indexLookup && learnedNationalId) await verifyIndexHits(await safely(options.indexLookup({ nationalId: learnedNationalId })));
    if (options.indexLookup && anchor.PatientName && anchor.PatientBirthDate) {
      await verifyIndexHits(await safely(options.indexLookup({ PatientName: anchor.PatientName, PatientBirthDate: anchor.PatientBirthDate })));
    }
  } else {
    // Nothing linked (a demographic search, or no such patient): every site still gets its outcome.
    for (const site of sites.filter((st) => !outcomes.some((o) => o.siteId === st.id))) {
      outcomes.push({ kind: 'ok', siteId: site.id, value: { siteId: site.id, studies: 0, rejected: 0 }, elapsedMs: 0, slow: false });
    }
  }
  const result = snapshot();
  report();
  return result;
}

function anchorFor(query: PatientQuery): PatientAnchor {
  if (query.kind === 'national') return { nationalId: query.nationalId, localIds: [] };
  if (query.kind === 'demographics') return { localIds: [], PatientName: query.PatientName, PatientBirthDate: query.PatientBirthDate };
  return { localIds: [{ PatientID: query.patientId, IssuerOfPatientID: query.issuer }] };
}

async function safely(hits: Promise<IndexHit[]>): Promise<IndexHit[]> {
  try {
    return await hits;
  } catch {
    return []; // the index only widens the search; the direct queries stand without it
  }
}

/** Kept for callers that judge one site's raw answer (tests, STUDY launch). */
export function recheckSiteAnswer(site: Site, query: PatientQuery, datasets: readonly DicomJsonDataset[], nationalIssuer = 'NHS'): { studies: SiteStudy[]; rejected: number } {
  const anchor = anchorFor(query);
  const studies: SiteStudy[] = [];
  let rejected = 0;
  for (const dataset of datasets) {
    const record = naturalize(dataset);
    const decision = decideLink(recordIdentity(record, site.patientIdIssuer, nationalIssuer), anchor);
    if (decision.kind === 'linked' && textOf(record, 'StudyInstanceUID')) studies.push({ siteId: site.id, siteIssuer: site.patientIdIssuer, record, linkBasis: decision.basis });
    else rejected += 1;
  }
  return { studies, rejected };
}

/**
 * Who an imported study becomes at the chosen hospital (IHE Import Reconciliation). The national
 * ID decides first: the patient index's entry for the person at that site, or a query at the site
 * whose answers are re-checked. Without one, the same family name, first given name and birth date
 * may propose the site's patient, which the user must confirm. Nobody, or more than one person:
 * no import — a study is never filed under an identity the site does not hold.
 * The site's own record wins: its name, birth date and sex replace the files' where they differ.
 */
import type { AttributeChange, DicomJsonDataset as ContractDataset, ImportMatch } from '../../contracts/index';
import { nationalIdsOf, type DicomJsonDataset } from '../patientIndex/index';
import type { Outcome } from '../transfer/index';

export interface ReconcileContext {
  nationalIdIssuer: string;
  siteName: string;
  /** The site's configured IssuerOfPatientID, for records that carry none. */
  siteIssuer: string;
  /** The patient index's local IDs for a national ID at the site. */
  localIdsAt(nationalId: string): Promise<{ PatientID: string; IssuerOfPatientID: string }[]>;
  /** QIDO-RS studies at the site (the site may ignore keys: answers are re-checked here). */
  studies(params: Record<string, string>): Promise<Outcome<DicomJsonDataset[]>>;
}

/** What the files say about the patient. */
export interface SourcePatient {
  PatientID: string;
  IssuerOfPatientID: string;
  PatientName: string;
  PatientBirthDate: string;
  PatientSex: string;
  nationalIds: string[];
  /** National IDs already in OtherPatientIDsSequence with the national issuer (so coercion adds none). */
  sequenceNationalIds: string[];
}

const Tag = {
  PatientName: '00100010',
  PatientID: '00100020',
  IssuerOfPatientID: '00100021',
  PatientBirthDate: '00100030',
  PatientSex: '00100040',
  OtherPatientIDsSequence: '00101002',
} as const;

const PatientFields = '00100010,00100020,00100021,00100030,00100040,00101000,00101002';

function textOf(dataset: DicomJsonDataset, tag: string): string {
  const value = dataset[tag]?.Value?.[0];
  if (typeof value === 'string') return value.trim();
  if (value && typeof value === 'object' && 'Alphabetic' in value) return String((value as { Alphabetic?: unknown }).Alphabetic ?? '').trim();
  return '';
}

export function sourcePatientOf(patient: ContractDataset | DicomJsonDataset, nationalIdIssuer: string): SourcePatient {
  const dataset = patient as DicomJsonDataset;
  const sequence = (dataset[Tag.OtherPatientIDsSequence]?.Value ?? []).filter((item): item is DicomJsonDataset => typeof item === 'object' && item !== null);
  return {
    PatientID: textOf(dataset, Tag.PatientID),
    IssuerOfPatientID: textOf(dataset, Tag.IssuerOfPatientID),
    PatientName: textOf(dataset, Tag.PatientName),
    PatientBirthDate: textOf(dataset, Tag.PatientBirthDate),
    PatientSex: textOf(dataset, Tag.PatientSex),
    nationalIds: nationalIdsOf(dataset, nationalIdIssuer),
    sequenceNationalIds: sequence.filter((item) => textOf(item, Tag.IssuerOfPatientID) === nationalIdIssuer).map((item) => textOf(item, Tag.PatientID).replace(/\s/g, '')),
  };
}

/** Family name and first given name, upper case: `FAIRWEATHER^Casey^J` → `FAIRWEATHER^CASEY`. */
function nameKey(name: string): string {
  const [family = '', given = ''] = (name.split('=')[0] ?? '').split('^');
  return `${family.trim().toUpperCase()}^${(given.trim().split(/\s+/)[0] ?? '').toUpperCase()}`;
}

interface SiteRecord {
  PatientID: string;
  IssuerOfPatientID: string;
  PatientName: string;
  PatientBirthDate: string;
  PatientSex: string;
  nationalIds: string[];
}

function recordsOf(context: ReconcileContext, datasets: DicomJsonDataset[]): SiteRecord[] {
  return datasets
    .map((dataset) => ({
      PatientID: textOf(dataset, Tag.PatientID),
      IssuerOfPatientID: textOf(dataset, Tag.IssuerOfPatientID) || context.siteIssuer,
      PatientName: textOf(dataset, Tag.PatientName),
      PatientBirthDate: textOf(dataset, Tag.PatientBirthDate),
      PatientSex: textOf(dataset, Tag.PatientSex),
      nationalIds: nationalIdsOf(dataset, context.nationalIdIssuer),
    }))
    .filter((record) => record.PatientID && record.IssuerOfPatientID !== context.nationalIdIssuer);
}

const idKey = (record: { PatientID: string; IssuerOfPatientID: string }) => `${record.PatientID}^^^${record.IssuerOfPatientID}`;

function distinct(records: SiteRecord[]): SiteRecord[] {
  return [...new Map(records.map((record) => [idKey(record), record])).values()];
}

async function byNationalId(context: ReconcileContext, nationalId: string): Promise<Outcome<{ PatientID: string; IssuerOfPatientID: string }[]>> {
  const indexed = await context.localIdsAt(nationalId).catch(() => []);
  if (indexed.length > 0) return { ok: true, value: indexed };
  const answer = await context.studies({ '00101000': nationalId, includefield: PatientFields });
  if (!answer.ok) return answer;
  return { ok: true, value: distinct(recordsOf(context, answer.value).filter((record) => record.nationalIds.includes(nationalId))) };
}

/** The site's record for a local ID (its demographics win); undefined when the site holds no study under it. */
async function recordFor(context: ReconcileContext, id: { PatientID: string; IssuerOfPatientID: string }): Promise<Outcome<SiteRecord | undefined>> {
  const answer = await context.studies({ PatientID: id.PatientID, includefield: PatientFields });
  if (!answer.ok) return answer;
  return { ok: true, value: recordsOf(context, answer.value).find((record) => idKey(record) === idKey(id)) };
}

const none = (reason: string): ImportMatch => ({ basis: 'none', reason });

/**
 * @example
 * const match = await reconcile(context, sourcePatientOf(request.patient, 'NHS'));
 * if (match.basis === 'none') refuse(match.reason);
 */
export async function reconcile(context: ReconcileContext, source: SourcePatient): Promise<ImportMatch> {
  const site = context.siteName;
  for (const nationalId of source.nationalIds) {
    const ids = await byNationalId(context, nationalId);
    if (!ids.ok) return none(`${site} did not answer (${ids.error}); nothing was imported.`);
    if (ids.value.length > 1) return none(`${site} holds this ${context.nationalIdIssuer} number under ${ids.value.length} different local IDs; ask their records team which is right.`);
    const id = ids.value[0];
    if (!id) continue;
    const record = await recordFor(context, id);
    if (!record.ok) return none(`${site} did not answer (${record.error}); nothing was imported.`);
    const found = record.value;
    return {
      basis: 'national-id',
      PatientID: id.PatientID,
      IssuerOfPatientID: id.IssuerOfPatientID,
      nationalId,
      ...(found?.PatientName ? { PatientName: found.PatientName } : {}),
      ...(found?.PatientBirthDate ? { PatientBirthDate: found.PatientBirthDate } : {}),
      ...(found?.PatientSex ? { PatientSex: found.PatientSex } : {}),
    };
  }
  const family = (source.PatientName.split('^')[0] ?? '').trim();
  if (!family || !/^\d{8}$/.test(source.PatientBirthDate)) {
    return none(`The files carry no ${context.nationalIdIssuer} number ${site} knows, and no name and birth date to look for: ${site} must register the patient first.`);
  }
  const answer = await context.studies({ PatientName: `${family}*`, PatientBirthDate: source.PatientBirthDate, includefield: PatientFields });
  if (!answer.ok) return none(`${site} did not answer (${answer.error}); nothing was imported.`);
  const candidates = distinct(
    recordsOf(context, answer.value).filter(
      (record) =>
        nameKey(record.PatientName) === nameKey(source.PatientName) &&
        record.PatientBirthDate === source.PatientBirthDate &&
        // Two different national IDs are two people, whatever their names.
        !(record.nationalIds.length > 0 && source.nationalIds.length > 0 && !record.nationalIds.some((id) => source.nationalIds.includes(id))),
    ),
  );
  if (candidates.length > 1) return none(`${candidates.length} patients at ${site} share this name and birth date; ${site} must say which is right.`);
  const candidate = candidates[0];
  if (!candidate) return none(`${site} has no patient with this ${context.nationalIdIssuer} number or this name and birth date: ${site} must register the patient first.`);
  const nationalId = source.nationalIds[0] ?? candidate.nationalIds[0];
  return {
    basis: 'demographics',
    PatientID: candidate.PatientID,
    IssuerOfPatientID: candidate.IssuerOfPatientID,
    PatientName: candidate.PatientName,
    PatientBirthDate: candidate.PatientBirthDate,
    ...(candidate.PatientSex ? { PatientSex: candidate.PatientSex } : {}),
    ...(nationalId ? { nationalId } : {}),
  };
}

/** The patient attributes coercion will change in every instance, old → new. */
export function attributeChanges(source: SourcePatient, match: ImportMatch, nationalIdIssuer: string): AttributeChange[] {
  if (match.basis === 'none') return [];
  const changes: AttributeChange[] = [];
  const add = (attribute: string, from: string, to: string | undefined) => {
    if (to && from.trim() !== to) changes.push({ attribute, from, to });
  };
  add('PatientID', source.PatientID, match.PatientID);
  add('IssuerOfPatientID', source.IssuerOfPatientID, match.IssuerOfPatientID);
  if (match.nationalId && !source.sequenceNationalIds.includes(match.nationalId)) {
    const before = source.sequenceNationalIds.map((id) => `${id} (${nationalIdIssuer})`).join(', ');
    changes.push({ attribute: 'OtherPatientIDsSequence', from: before, to: [before, `${match.nationalId} (${nationalIdIssuer})`].filter(Boolean).join(', ') });
  }
  add('PatientName', source.PatientName, match.PatientName);
  add('PatientBirthDate', source.PatientBirthDate, match.PatientBirthDate);
  add('PatientSex', source.PatientSex, match.PatientSex);
  return changes;
}

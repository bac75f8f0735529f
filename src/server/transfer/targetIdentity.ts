/**
 * Who a study will be at the target hospital. The national ID is read from the study itself (one
 * instance's header at the source); the target's local ID comes from the patient index, or, when
 * the index has not seen the person there yet, from a query at the target whose answers are
 * re-checked (a site may ignore the query key). No link, or more than one local ID: no send.
 */
import type { TargetIdentity } from '../../contracts/index';
import { nationalIdsOf, type DicomJsonDataset } from '../patientIndex/index';
import type { InstanceRef, Outcome, TransferSites } from './transferSites';

export interface IdentityContext {
  sites: TransferSites;
  nationalIdIssuer: string;
  /** The patient index's local IDs for a national ID at a site. */
  localIdsAt(nationalId: string, siteId: string): Promise<{ PatientID: string; IssuerOfPatientID: string }[]>;
  /** The target site's configured IssuerOfPatientID, for records that carry none. */
  siteIssuer(siteId: string): string | undefined;
  siteName(siteId: string): string;
}

export interface PlannedIdentity {
  target: TargetIdentity;
  /** The source record's own IDs (for the audit line): PatientID and national IDs. */
  sourcePatientIds: string[];
}

function text(dataset: DicomJsonDataset, tag: string): string | undefined {
  const value = dataset[tag]?.Value?.[0];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

async function liveLocalIds(context: IdentityContext, nationalId: string, siteId: string): Promise<{ PatientID: string; IssuerOfPatientID: string }[]> {
  const answer = await context.sites.studiesByNationalId(siteId, nationalId);
  if (!answer.ok) return [];
  const ids = new Map<string, { PatientID: string; IssuerOfPatientID: string }>();
  for (const dataset of answer.value) {
    if (!nationalIdsOf(dataset, context.nationalIdIssuer).includes(nationalId)) continue;
    const PatientID = text(dataset, '00100020');
    const IssuerOfPatientID = text(dataset, '00100021') ?? context.siteIssuer(siteId);
    if (PatientID && IssuerOfPatientID && IssuerOfPatientID !== context.nationalIdIssuer) ids.set(`${PatientID}^^^${IssuerOfPatientID}`, { PatientID, IssuerOfPatientID });
  }
  return [...ids.values()];
}

/** The identity for a study whose first instance is `sample`; `Outcome` fails only when the source cannot be read. */
export async function planTargetIdentity(
  context: IdentityContext,
  request: { studyUid: string; fromSiteId: string; toSiteId: string },
  sample: InstanceRef,
): Promise<Outcome<PlannedIdentity>> {
  const header = await context.sites.instanceMetadata(request.fromSiteId, request.studyUid, sample);
  if (!header.ok) return { ok: false, error: `${context.siteName(request.fromSiteId)}: ${header.error}` };
  const nationalIds = nationalIdsOf(header.value, context.nationalIdIssuer);
  const sourceId = text(header.value, '00100020');
  const sourcePatientIds = [...new Set([...nationalIds, ...(sourceId ? [sourceId] : [])])];
  const targetName = context.siteName(request.toSiteId);
  if (nationalIds.length === 0) {
    return { ok: true, value: { sourcePatientIds, target: { kind: 'unknown-at-target', reason: `The study carries no ${context.nationalIdIssuer} number, so it cannot be matched to a patient at ${targetName}.` } } };
  }
  for (const nationalId of nationalIds) {
    let ids = await context.localIdsAt(nationalId, request.toSiteId).catch(() => []);
    if (ids.length === 0) ids = await liveLocalIds(context, nationalId, request.toSiteId);
    if (ids.length > 1) {
      return {
        ok: true,
        value: { sourcePatientIds, target: { kind: 'unknown-at-target', reason: `${targetName} holds this person under ${ids.length} different local IDs; ask their records team which is right.` } },
      };
    }
    const id = ids[0];
    if (id) return { ok: true, value: { sourcePatientIds, target: { kind: 'linked', ...id, nationalId } } };
  }
  return {
    ok: true,
    value: { sourcePatientIds, target: { kind: 'unknown-at-target', reason: `${targetName} has no patient with this ${context.nationalIdIssuer} number; they must register the patient first.` } },
  };
}

/**
 * Study and series identities: UIDs, accession numbers, times and referring physicians, all
 * drawn from the seed so two runs agree byte for byte.
 */
import type { DemoPerson, DemoSeries, DemoSite, DemoSiteKey, DemoStudy } from './manifest';
import { ExplicitVRLittleEndian } from './dicomFile';
import { createPrng, type Prng } from './prng';
import type { SeriesContext, StudyContext } from './studyContext';
import type { UidFactory } from './uids';

const ReferringPhysicians = ['OSEI^Ama^^Dr', 'BRANNIGAN^Claire^^Dr', 'VARGHESE^Thomas^^Dr', 'NWOSU^Chidi^^Dr'];

export interface PlanContext {
  uid: UidFactory;
  sites: DemoSite[];
  prng: Prng;
}

export function createPlanContext(seed: number, uid: UidFactory, sites: DemoSite[]): PlanContext {
  return { uid, sites, prng: createPrng(seed, 'studies') };
}

export function planStudy(
  plan: PlanContext,
  key: string,
  fields: {
    siteKey: DemoSiteKey;
    person: DemoPerson;
    PatientID: string;
    StudyDate: string;
    StudyDescription: string;
    BodyPartExamined: StudyContext['BodyPartExamined'];
    studyIdPrefix: string;
    identityForm?: DemoStudy['identityForm'];
  },
): StudyContext {
  const site = plan.sites.find((s) => s.key === fields.siteKey);
  if (!site) throw new Error(`planStudy: no site ${fields.siteKey}`);
  const { prng } = plan;
  const hh = String(prng.int(8, 17)).padStart(2, '0');
  const mm = String(prng.int(0, 59)).padStart(2, '0');
  const ss = String(prng.int(0, 59)).padStart(2, '0');
  return {
    site,
    person: fields.person,
    PatientID: fields.PatientID,
    IssuerOfPatientID: site.issuer,
    StudyInstanceUID: plan.uid(`study/${key}`),
    StudyDate: fields.StudyDate,
    StudyTime: `${hh}${mm}${ss}`,
    AccessionNumber: `${site.issuer}${prng.int(10_000_000, 99_999_999)}`,
    StudyID: `${fields.studyIdPrefix}${prng.int(1000, 9999)}`,
    StudyDescription: fields.StudyDescription,
    ReferringPhysicianName: prng.pick(ReferringPhysicians),
    BodyPartExamined: fields.BodyPartExamined,
    ...(fields.identityForm ? { identityForm: fields.identityForm } : {}),
  };
}

export function planSeries(
  plan: PlanContext,
  study: StudyContext,
  fields: { SeriesNumber: number; Modality: string; SeriesDescription: string; FrameOfReferenceUID?: string },
): SeriesContext {
  return { SeriesInstanceUID: plan.uid(`series/${study.StudyInstanceUID}/${fields.SeriesNumber}`), ...fields };
}

export function seriesEntry(series: SeriesContext, instanceCount: number, transferSyntaxUID = ExplicitVRLittleEndian): DemoSeries {
  return {
    SeriesInstanceUID: series.SeriesInstanceUID,
    Modality: series.Modality,
    SeriesDescription: series.SeriesDescription,
    SeriesNumber: series.SeriesNumber,
    instanceCount,
    transferSyntaxUID,
  };
}

/** "14 Dec 2024" for report text. */
export function readableDate(da: string): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${Number(da.slice(6, 8))} ${months[Number(da.slice(4, 6)) - 1] ?? '?'} ${da.slice(0, 4)}`;
}

export function studyEntry(
  key: string,
  context: StudyContext,
  person: DemoStudy['person'],
  report: DemoStudy['report'],
  series: DemoSeries[],
): DemoStudy {
  return {
    key,
    siteKey: context.site.key,
    StudyInstanceUID: context.StudyInstanceUID,
    StudyDate: context.StudyDate,
    StudyDescription: context.StudyDescription,
    ModalitiesInStudy: [...new Set(series.map((s) => s.Modality))],
    person,
    ...(context.identityForm ? { identityForm: context.identityForm } : {}),
    report,
    series,
    PatientID: context.PatientID,
    IssuerOfPatientID: context.IssuerOfPatientID,
    AccessionNumber: context.AccessionNumber,
    BodyPartExamined: context.BodyPartExamined,
  };
}

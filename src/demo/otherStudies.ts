/**
 * The rest of the demo: the MR brain at the district hospital, the ultrasound at the
 * independent sector site (JPEG baseline, no report anywhere) and the two identity traps.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DemoStudy } from './manifest';
import { encodeCrChest } from './crImage';
import { chestPhantom } from './ctPhantom';
import { writeCtSeries } from './ctSeries';
import { JPEGBaselineProcess1 } from './dicomFile';
import { MrSequences, writeMrBrainSeries } from './mrBrain';
import type { DemoDates, DemoPeople } from './people';
import { planSeries, planStudy, seriesEntry, studyEntry, type PlanContext } from './studyPlan';
import { encodeUltrasound } from './ultrasound';

export interface StudyInput {
  plan: PlanContext;
  people: DemoPeople;
  dates: DemoDates;
  outDir: string;
  seed: number;
}

export const MrSliceCount = 24;

export async function writeMrBrain(input: StudyInput): Promise<DemoStudy> {
  const { plan, people, dates } = input;
  const study = planStudy(plan, 'mr-brain', {
    siteKey: 'b', person: people.patient, PatientID: people.localIds.b, StudyDate: dates.mrBrain,
    StudyDescription: 'MRI Head', BodyPartExamined: 'HEAD', studyIdPrefix: 'M',
  });
  const FrameOfReferenceUID = plan.uid('frame/mr-brain');
  const series = MrSequences.map((sequence, i) => ({
    ...planSeries(plan, study, { SeriesNumber: i + 1, Modality: 'MR', SeriesDescription: `Ax ${sequence.SeriesDescription}` }),
    FrameOfReferenceUID,
  }));
  const written = await writeMrBrainSeries({
    study, series, uid: plan.uid, dir: join(input.outDir, 'site-b'), fileStem: 'mr-brain', noiseSeed: input.seed,
    scan: { rows: 256, columns: 256, pixelSpacing: 0.9375, sliceCount: MrSliceCount, sliceStep: 5, firstPosition: [-120, -120, -55] },
  });
  return studyEntry('mr-brain', study, 'patient', 'none', series.map((s, i) => seriesEntry(s, written[i]?.length ?? 0)));
}

export async function writeUltrasound(input: StudyInput): Promise<DemoStudy> {
  const { plan, people, dates } = input;
  const study = planStudy(plan, 'us-abdomen', {
    siteKey: 'c', person: people.patient, PatientID: people.localIds.c, StudyDate: dates.usAbdomen,
    StudyDescription: 'US Abdomen', BodyPartExamined: 'ABDOMEN', studyIdPrefix: 'U',
  });
  const series = planSeries(plan, study, { SeriesNumber: 1, Modality: 'US', SeriesDescription: 'Liver and gallbladder' });
  const bytes = encodeUltrasound(study, series, plan.uid('us/us-abdomen'), input.seed);
  await writeFile(join(input.outDir, 'site-c', 'us-abdomen-us-0001.dcm'), bytes);
  return studyEntry('us-abdomen', study, 'patient', 'none', [seriesEntry(series, 1, JPEGBaselineProcess1)]);
}

/** A stranger at site B whose RDH PatientID equals our patient's MII PatientID at site C. */
export async function writeSameLocalIdTrap(input: StudyInput): Promise<DemoStudy> {
  const { plan, people, dates } = input;
  const study = planStudy(plan, 'trap-same-local-id', {
    siteKey: 'b', person: people.sameLocalIdPerson, PatientID: people.localIds.sameLocalIdAtB, StudyDate: dates.trapSameLocalId,
    StudyDescription: 'XR Chest', BodyPartExamined: 'CHEST', studyIdPrefix: 'X',
  });
  const series = planSeries(plan, study, { SeriesNumber: 1, Modality: 'CR', SeriesDescription: 'Chest PA' });
  await writeFile(join(input.outDir, 'site-b', 'trap-same-local-id-cr-0001.dcm'), encodeCrChest(study, series, plan.uid('cr/trap-same-local-id'), input.seed));
  return studyEntry('trap-same-local-id', study, 'trap-same-local-id', 'none', [seriesEntry(series, 1)]);
}

/** Our patient's name and birth date, another NHS number, at site A: a few abdominal CT slices. */
export async function writeSameDemographicsTrap(input: StudyInput): Promise<DemoStudy> {
  const { plan, people, dates } = input;
  const study = planStudy(plan, 'trap-same-demographics', {
    siteKey: 'a', person: people.sameDemographicsPerson, PatientID: people.localIds.sameDemographicsAtA, StudyDate: dates.trapSameDemographics,
    StudyDescription: 'CT Abdomen', BodyPartExamined: 'ABDOMEN', studyIdPrefix: 'CT',
  });
  const series = { ...planSeries(plan, study, { SeriesNumber: 2, Modality: 'CT', SeriesDescription: 'Abdomen 5 mm' }), FrameOfReferenceUID: plan.uid('frame/trap-same-demographics') };
  const ct = await writeCtSeries({
    study, series, uid: plan.uid, dir: join(input.outDir, 'site-a'), fileStem: 'trap-same-demographics-ct', noiseSeed: input.seed,
    layers: chestPhantom(undefined),
    scan: { rows: 512, columns: 512, pixelSpacing: 0.78125, sliceCount: 8, sliceThickness: 5, sliceStep: 5, firstPosition: [-200, -200, -300], tableOffset: [0, 0, 0], noiseAmplitudeHu: 3 },
  });
  return studyEntry('trap-same-demographics', study, 'trap-same-demographics', 'none', [seriesEntry(series, ct.instances.length)]);
}

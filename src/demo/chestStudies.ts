/**
 * The two chest CT studies: the current one at the cancer centre (CT + SR report + RTSTRUCT + RTDOSE)
 * and the prior at the district hospital (CT + encapsulated PDF report).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CtPhantomTruth, DemoRtTruth, DemoStudy } from './manifest';
import { Body, RightLung } from './ctPhantom';
import { CurrentCt, ctLayers, ctScanFor, ctTruth, PriorCt } from './ctScans';
import { writeCtSeries } from './ctSeries';
import { encodePdfReport } from './encapsulatedPdf';
import type { DemoDates, DemoPeople } from './people';
import { encodeRtDose } from './rtDose';
import { encodeRtStruct, type RoiPlan } from './rtStruct';
import { encodeSrReport } from './srReport';
import { planSeries, planStudy, readableDate, seriesEntry, studyEntry, type PlanContext } from './studyPlan';

export interface ChestStudyInput {
  plan: PlanContext;
  people: DemoPeople;
  dates: DemoDates;
  outDir: string;
  seed: number;
  sliceCount?: number;
}

export interface ChestStudyResult {
  study: DemoStudy;
  truth: CtPhantomTruth;
  /** RT structure set and dose (current CT only). */
  rt?: DemoRtTruth;
}

export async function writeCurrentChestCt(input: ChestStudyInput): Promise<ChestStudyResult> {
  const { plan, people, dates } = input;
  const dir = join(input.outDir, 'site-a');
  const study = planStudy(plan, 'ct-current', {
    siteKey: 'a', person: people.patient, PatientID: people.localIds.a, StudyDate: dates.ctCurrent,
    StudyDescription: 'CT Chest with contrast', BodyPartExamined: 'CHEST', studyIdPrefix: 'CT',
  });
  const FrameOfReferenceUID = plan.uid('frame/ct-current');
  const ctSeries = { ...planSeries(plan, study, { SeriesNumber: 2, Modality: 'CT', SeriesDescription: 'Chest 1.5 mm axial' }), FrameOfReferenceUID };
  const scan = ctScanFor(CurrentCt, input.sliceCount);
  const ct = await writeCtSeries({ study, series: ctSeries, scan, layers: ctLayers(CurrentCt), uid: plan.uid, dir, fileStem: 'ct-current-ct', noiseSeed: input.seed });

  const priorText = `previously 12 mm on CT of ${readableDate(dates.ctPrior)} at Riverside District Hospital`;
  const srSeries = planSeries(plan, study, { SeriesNumber: 900, Modality: 'SR', SeriesDescription: 'Radiology report' });
  const sr = encodeSrReport(study, srSeries, plan.uid('sr/ct-current'), {
    observerName: 'WHITFIELD^Hannah^^Dr',
    organisation: study.site.name,
    findings:
      `Right lower lobe: a round solid nodule measuring ${CurrentCt.lesionDiameterMm} mm in diameter (${priorText}). ` +
      'No other pulmonary nodule. No pleural effusion. Mediastinum and visible skeleton unremarkable.',
    impression: `Enlarging ${CurrentCt.lesionDiameterMm} mm right lower lobe nodule, suspicious for primary lung malignancy. For MDT discussion.`,
    evidence: { SeriesInstanceUID: ctSeries.SeriesInstanceUID, instances: ct.instances },
  });
  await writeFile(join(dir, 'ct-current-sr-0001.dcm'), sr);

  const rtSeries = { ...planSeries(plan, study, { SeriesNumber: 901, Modality: 'RTSTRUCT', SeriesDescription: 'Planning structures' }), FrameOfReferenceUID };
  const lesion = ctLayers(CurrentCt).find((layer) => layer.name === 'lesion');
  if (!lesion) throw new Error('writeCurrentChestCt: phantom has no lesion');
  const rois: RoiPlan[] = [
    { ROIName: 'BODY', RTROIInterpretedType: 'EXTERNAL', ROIDisplayColor: [0, 200, 0], shape: Body, points: 64 },
    { ROIName: 'GTV', RTROIInterpretedType: 'GTV', ROIDisplayColor: [255, 0, 0], shape: lesion, points: 32 },
    { ROIName: 'LUNG_R', RTROIInterpretedType: 'ORGAN', ROIDisplayColor: [0, 128, 255], shape: RightLung, points: 48 },
  ];
  const structureSetUID = plan.uid('rtstruct/ct-current');
  const rt = encodeRtStruct({
    study, series: rtSeries, SOPInstanceUID: structureSetUID, ct, ctSeriesInstanceUID: ctSeries.SeriesInstanceUID,
    tableOffset: CurrentCt.tableOffset,
    rois,
  });
  await writeFile(join(dir, 'ct-current-rtstruct-0001.dcm'), rt);

  // The plan dose: 60 Gy over the GTV, falling to half 15 mm outside it.
  const doseSeries = { ...planSeries(plan, study, { SeriesNumber: 902, Modality: 'RTDOSE', SeriesDescription: 'Plan dose' }), FrameOfReferenceUID };
  const doseUID = plan.uid('rtdose/ct-current');
  const gtvCentre: [number, number, number] = [
    lesion.centre[0] + CurrentCt.tableOffset[0], lesion.centre[1] + CurrentCt.tableOffset[1], lesion.centre[2] + CurrentCt.tableOffset[2],
  ];
  const gtvRadius = lesion.semiAxes[0];
  const dose = encodeRtDose({
    study, series: doseSeries, SOPInstanceUID: doseUID, structureSetSOPInstanceUID: structureSetUID,
    profile: { centre: gtvCentre, maxGy: 60, prescriptionGy: 60, flatRadiusMm: gtvRadius, radius50Mm: gtvRadius + 15 },
  });
  await writeFile(join(dir, 'ct-current-rtdose-0001.dcm'), dose.bytes);

  const rtTruth: DemoRtTruth = {
    studyKey: 'ct-current',
    FrameOfReferenceUID,
    ctSeriesInstanceUID: ctSeries.SeriesInstanceUID,
    structureSet: {
      SeriesInstanceUID: rtSeries.SeriesInstanceUID,
      SOPInstanceUID: structureSetUID,
      rois: rois.map((roi, i) => ({ ROINumber: i + 1, ROIName: roi.ROIName, ROIDisplayColor: roi.ROIDisplayColor })),
      gtv: { ROIName: 'GTV', centre: gtvCentre, radiusMm: gtvRadius, volumeCc: (4 / 3) * Math.PI * gtvRadius ** 3 / 1000 },
    },
    dose: { SeriesInstanceUID: doseSeries.SeriesInstanceUID, SOPInstanceUID: doseUID, ...dose.truth },
  };

  const series = [seriesEntry(ctSeries, ct.instances.length), seriesEntry(srSeries, 1), seriesEntry(rtSeries, 1), seriesEntry(doseSeries, 1)];
  return { study: studyEntry('ct-current', study, 'patient', 'sr', series), truth: ctTruth(CurrentCt, ctSeries.SeriesInstanceUID, ct.geometry), rt: rtTruth };
}

export async function writePriorChestCt(input: ChestStudyInput): Promise<ChestStudyResult> {
  const { plan, people, dates } = input;
  const dir = join(input.outDir, 'site-b');
  const study = planStudy(plan, 'ct-prior', {
    siteKey: 'b', person: people.patient, PatientID: people.localIds.b, StudyDate: dates.ctPrior,
    StudyDescription: 'CT Thorax', BodyPartExamined: 'CHEST', studyIdPrefix: 'R',
  });
  const FrameOfReferenceUID = plan.uid('frame/ct-prior');
  const ctSeries = { ...planSeries(plan, study, { SeriesNumber: 3, Modality: 'CT', SeriesDescription: 'Thorax 2.5 mm' }), FrameOfReferenceUID };
  const scan = ctScanFor(PriorCt, input.sliceCount);
  const ct = await writeCtSeries({ study, series: ctSeries, scan, layers: ctLayers(PriorCt), uid: plan.uid, dir, fileStem: 'ct-prior-ct', noiseSeed: input.seed });

  const pdfSeries = planSeries(plan, study, { SeriesNumber: 999, Modality: 'DOC', SeriesDescription: 'Radiology report (PDF)' });
  const pdf = encodePdfReport(study, pdfSeries, plan.uid('pdf/ct-prior'), {
    DocumentTitle: 'CT Thorax report',
    lines: [
      'Riverside District Hospital - Department of Radiology',
      `Examination: CT thorax, ${readableDate(dates.ctPrior)}`,
      '',
      `Prior CT chest: ${PriorCt.lesionDiameterMm} mm nodule right lower lobe.`,
      'Solid, smooth margins. No lymphadenopathy. No effusion.',
      '',
      `Impression: ${PriorCt.lesionDiameterMm} mm solid right lower lobe nodule. Follow-up CT in 6 months.`,
      'Reported and verified by Dr P. Achterberg, Consultant Radiologist.',
    ],
  });
  await writeFile(join(dir, 'ct-prior-pdf-0001.dcm'), pdf);

  const series = [seriesEntry(ctSeries, ct.instances.length), seriesEntry(pdfSeries, 1)];
  return { study: studyEntry('ct-prior', study, 'patient', 'pdf', series), truth: ctTruth(PriorCt, ctSeries.SeriesInstanceUID, ct.geometry) };
}

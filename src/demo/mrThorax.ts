/**
 * MR thorax at the district hospital, a month before the current CT: the oncologist's MR prior
 * for radiotherapy planning. It images the same chest phantom (body, lungs, vertebra, the lesion)
 * as a T1 axial series, in its own frame of reference with the table 120 mm further in, so only
 * "link here" can put it in step with the planning CT.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DemoStudy, MrThoraxTruth, Vec3 } from './manifest';
import { encodePart10 } from './dicomFile';
import { chestPhantom, LesionCentre, renderAxialSlice } from './ctPhantom';
import { CurrentCt } from './ctScans';
import { mrImageDataset, type MrAcquisition } from './mrBrain';
import { addDays, type DemoDates, type DemoPeople } from './people';
import { addBoundedNoise, hash32 } from './prng';
import { planSeries, planStudy, seriesEntry, studyEntry, type PlanContext } from './studyPlan';

/** T1 signal by phantom layer: lung dark, fat-free soft tissue mid, cortical bone dark, the nodule brighter. */
const T1Signal: Readonly<Record<string, number>> = { body: 450, 'lung-right': 40, 'lung-left': 40, vertebra: 180, lesion: 720 };

/** A T1 spin echo, windowed for soft tissue. */
const T1: MrAcquisition = { ScanningSequence: ['SE'], SequenceVariant: ['SK'], RepetitionTime: 550, EchoTime: 12, window: [400, 800] };

const Rows = 256;
const Columns = 256;
const PixelSpacing = 1.5625;
const SliceStep = 5;
const SliceCount = 40;
/** Slice index (InstanceNumber − 1) through the lesion centre. */
const LesionSlice = 20;
const TableOffset: Vec3 = [0, 0, 120];

export async function writeMrThorax(input: { plan: PlanContext; people: DemoPeople; dates: DemoDates; outDir: string; seed: number }): Promise<{ study: DemoStudy; truth: MrThoraxTruth }> {
  const { plan, people, dates } = input;
  const study = planStudy(plan, 'mr-thorax', {
    siteKey: 'b', person: people.patient, PatientID: people.localIds.b, StudyDate: addDays(dates.ctCurrent, -30),
    StudyDescription: 'MRI Thorax', BodyPartExamined: 'CHEST', studyIdPrefix: 'M',
  });
  const FrameOfReferenceUID = plan.uid('frame/mr-thorax');
  const series = { ...planSeries(plan, study, { SeriesNumber: 1, Modality: 'MR', SeriesDescription: 'Ax T1 thorax' }), FrameOfReferenceUID };
  const layers = chestPhantom(CurrentCt.lesionDiameterMm);
  const x0 = -(Columns * PixelSpacing) / 2;
  const y0 = -(Rows * PixelSpacing) / 2;
  const raster = { rows: Rows, columns: Columns, x0, y0, rowSpacing: PixelSpacing, columnSpacing: PixelSpacing };
  const firstAnatomyZ = LesionCentre[2] - LesionSlice * SliceStep;
  const labels = new Uint16Array(Rows * Columns);
  const dir = join(input.outDir, 'site-b');
  const pending: Promise<void>[] = [];
  for (let i = 0; i < SliceCount; i++) {
    const anatomyZ = firstAnatomyZ + i * SliceStep;
    renderAxialSlice(layers, raster, anatomyZ, labels, { background: 0, valueOf: (layer) => T1Signal[layer.name] ?? 300 });
    const pixels = new Uint16Array(labels);
    addBoundedNoise(pixels, 10, hash32(`${input.seed}|${series.SeriesInstanceUID}|${i}`), 4095);
    const SOPInstanceUID = plan.uid(`${series.SeriesInstanceUID}/mr/${i}`);
    const z = anatomyZ + TableOffset[2];
    const dataset = mrImageDataset(study, series, {
      SOPInstanceUID,
      InstanceNumber: i + 1,
      sequence: T1,
      sliceStep: SliceStep,
      position: [x0 + TableOffset[0], y0 + TableOffset[1], z],
      pixelSpacing: PixelSpacing,
      rows: Rows,
      columns: Columns,
      pixels,
    });
    pending.push(writeFile(join(dir, `mr-thorax-s1-${String(i + 1).padStart(4, '0')}.dcm`), encodePart10(dataset)));
    if (pending.length >= 8) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  const truth: MrThoraxTruth = {
    SeriesInstanceUID: series.SeriesInstanceUID,
    FrameOfReferenceUID,
    sliceCount: SliceCount,
    sliceStep: SliceStep,
    firstPosition: [x0 + TableOffset[0], y0 + TableOffset[1], firstAnatomyZ + TableOffset[2]],
    lesionCentre: [LesionCentre[0] + TableOffset[0], LesionCentre[1] + TableOffset[1], LesionCentre[2] + TableOffset[2]],
  };
  return { study: studyEntry('mr-thorax', study, 'patient', 'none', [seriesEntry(series, SliceCount)]), truth };
}

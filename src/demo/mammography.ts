/**
 * The screening patient: a woman seen only for breast screening, with a bilateral screening
 * mammogram at the cancer centre (site A) and her previous one about two years earlier at the
 * independent site (site C). Each study is four single-image series, R CC, L CC, R MLO, L MLO,
 * Digital Mammography For Presentation, 12 bits stored, MONOCHROME2.
 *
 * Every image is stored with the chest wall along its LEFT edge, whichever breast (the test
 * pattern the mammography hanging relies on: it mirrors the right views so the chest walls face
 * each other). The breast is a bright half-ellipse on that edge, the MLO views add a brighter
 * pectoral wedge in the upper chest-wall corner, and 1–4 marker blocks in the far corner name
 * the view. She has her own NHS number and local IDs, so she never joins the demo patient.
 * Drawn from its own seeded streams, after every other study, so older files keep their bytes.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DemoPerson, DemoScreening, DemoSiteKey, DemoStudy, MammogramTruth } from './manifest';
import { code, encodePart10, type NaturalDataset } from './dicomFile';
import type { StudyInput } from './otherStudies';
import { monochrome12 } from './pixelModule';
import { addDays, addMonths, nhsNumberFrom } from './people';
import { createPrng, hash32 } from './prng';
import { commonAttributes, type SeriesContext, type StudyContext } from './studyContext';
import { planSeries, planStudy, seriesEntry, studyEntry } from './studyPlan';

export const DigitalMammographyForPresentationStorage = '1.2.840.10008.5.1.4.1.1.1.2';
export const MammogramSize = { rows: 512, columns: 384 } as const;
const Spacing = 0.5;
export const ScreeningStudyDescription = 'Bilateral screening mammogram';

/** Series order within a study; `view` is also the number of marker blocks. */
export const MammogramViews = [
  { Laterality: 'R', ViewPosition: 'CC', view: 1 },
  { Laterality: 'L', ViewPosition: 'CC', view: 2 },
  { Laterality: 'R', ViewPosition: 'MLO', view: 3 },
  { Laterality: 'L', ViewPosition: 'MLO', view: 4 },
] as const;
type MammogramView = (typeof MammogramViews)[number];

/**
 * PatientOrientation (row direction \ column direction) of an image stored chest wall left:
 * along a row from chest wall to nipple is anterior; down a CC image runs lateral to medial,
 * down an MLO image superolateral to inferomedial.
 */
const Orientation: Record<`${MammogramView['Laterality']} ${MammogramView['ViewPosition']}`, [string, string]> = {
  'R CC': ['A', 'L'],
  'L CC': ['A', 'R'],
  'R MLO': ['A', 'FL'],
  'L MLO': ['A', 'FR'],
};

/** SNOMED CT view codes (PS3.16 CID 4014). */
const ViewCodes = {
  CC: code('399162004', 'SCT', 'cranio-caudal'),
  MLO: code('399368009', 'SCT', 'medio-lateral oblique'),
} as const;

const FamilyNames = ['WHITCOMBE', 'ACHTERBERG', 'DUNMORE', 'OSEI-BONSU', 'FENWICK', 'LACHANCE'];
const GivenNames = ['Helen', 'Margaret', 'Aisha', 'Priya', 'Bronwen', 'Ingrid'];

const Tissue = { fat: 1500, gland: 2300, pectoral: 2900, marker: 4095, texture: 120 } as const;

/** Where the pattern lies in a stored image; the same for every view, so one truth shape serves all. */
function geometry(view: MammogramView): Omit<MammogramTruth, 'studyKey' | 'SeriesInstanceUID' | 'SOPInstanceUID' | 'Laterality' | 'ViewPosition'> {
  const { rows, columns } = MammogramSize;
  return {
    rows,
    columns,
    imagerPixelSpacing: [Spacing, Spacing],
    chestWall: 'left',
    breast: { centreRow: rows / 2, depthColumns: Math.round(columns * 0.75), halfHeightRows: Math.round(rows * 0.42), minValue: Tissue.fat - Tissue.texture, maxValue: Tissue.pectoral + Tissue.texture },
    background: 0,
    marker: { blocks: view.view, top: 12, size: 14, firstColumn: columns - 12 - 14, step: 22, value: Tissue.marker },
    pectoralMuscle: view.ViewPosition === 'MLO',
  };
}

/** The stored pixels of one view: chest wall at column 0, values in [0, 4095]. */
export function renderMammogram(view: MammogramView, noiseSeed: number): Uint16Array {
  const g = geometry(view);
  const { rows, columns, breast, marker } = g;
  const pixels = new Uint16Array(rows * columns).fill(g.background);
  const prng = createPrng(noiseSeed, `mammogram-${view.view}`);
  const top = breast.centreRow - breast.halfHeightRows;
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      // Pixel centres: column 0 lies on the chest wall (the ellipse's flat side).
      const x = (column + 0.5) / breast.depthColumns;
      const y = (row + 0.5 - breast.centreRow) / breast.halfHeightRows;
      const r2 = x * x + y * y;
      if (r2 > 1) continue;
      // Denser gland towards the chest wall, thinning to fat near the skin line.
      let value = Tissue.fat + (Tissue.gland - Tissue.fat) * Math.max(0, 1 - r2 / 0.55);
      if (g.pectoralMuscle && column < breast.depthColumns * 0.35 * (1 - (row - top) / (breast.halfHeightRows * 1.2))) value = Tissue.pectoral;
      value += (prng.next() * 2 - 1) * Tissue.texture;
      pixels[row * columns + column] = Math.round(Math.min(breast.maxValue, Math.max(breast.minValue, value)));
    }
  }
  for (let block = 0; block < marker.blocks; block++) {
    const left = marker.firstColumn - block * marker.step;
    for (let row = marker.top; row < marker.top + marker.size; row++) pixels.fill(marker.value, row * columns + left, row * columns + left + marker.size);
  }
  return pixels;
}

function encodeMammogram(study: StudyContext, series: SeriesContext, view: MammogramView, SOPInstanceUID: string, seed: number): Uint8Array {
  const pixels = renderMammogram(view, hash32(`${seed}|mg|${SOPInstanceUID}`));
  const dataset: NaturalDataset = {
    ...commonAttributes(study, series),
    SOPClassUID: DigitalMammographyForPresentationStorage,
    SOPInstanceUID,
    InstanceNumber: 1,
    ImageType: ['ORIGINAL', 'PRIMARY'],
    ContentDate: study.StudyDate,
    ContentTime: study.StudyTime,
    ProtocolName: 'Screening mammography',
    PresentationIntentType: 'FOR PRESENTATION',
    // Series-level Laterality beside ImageLaterality: PS3.3 lets it go when ImageLaterality is
    // present, but QIDO returns only series-level attributes, and many modalities write both.
    Laterality: view.Laterality,
    ImageLaterality: view.Laterality,
    ViewPosition: view.ViewPosition,
    // The Mammography Image module wants the (empty) modifier list inside the view code item.
    ViewCodeSequence: [{ ...ViewCodes[view.ViewPosition], ViewModifierCodeSequence: [] }],
    AcquisitionContextSequence: [],
    DetectorType: 'DIRECT',
    AnatomicRegionSequence: [code('76752008', 'SCT', 'Breast')],
    PatientOrientation: Orientation[`${view.Laterality} ${view.ViewPosition}`],
    PositionerType: 'MAMMOGRAPHIC',
    OrganExposed: 'BREAST',
    BreastImplantPresent: 'NO',
    PartialView: 'NO',
    BurnedInAnnotation: 'NO',
    ImagerPixelSpacing: [Spacing, Spacing],
    ...monochrome12(MammogramSize.rows, MammogramSize.columns),
    PixelIntensityRelationship: 'LOG',
    PixelIntensityRelationshipSign: 1,
    RescaleIntercept: 0,
    RescaleSlope: 1,
    RescaleType: 'US',
    PresentationLUTShape: 'IDENTITY',
    LossyImageCompression: '00',
    WindowCenter: 2048,
    WindowWidth: 4096,
    PixelData: pixels.buffer,
    _vrMap: { PixelData: 'OW' },
  };
  return encodePart10(dataset);
}

/** What is already taken, so the screening patient collides with no one. */
export interface TakenIdentities {
  nhsNumbers: ReadonlySet<string>;
  /** Local PatientIDs already used at any site. */
  patientIds: ReadonlySet<string>;
}

function screeningPerson(seed: number, taken: TakenIdentities): { person: DemoPerson; localIdA: string; localIdC: string } {
  const prng = createPrng(seed, 'screening-person');
  const person: DemoPerson = {
    PatientName: `${prng.pick(FamilyNames)}^${prng.pick(GivenNames)}`,
    // Screening invites women of 50 to 71.
    PatientBirthDate: `${prng.int(1956, 1970)}${String(prng.int(1, 12)).padStart(2, '0')}${String(prng.int(1, 28)).padStart(2, '0')}`,
    PatientSex: 'F',
    nhsNumber: nhsNumberFrom(prng, taken.nhsNumbers),
  };
  const fresh = (draw: () => string): string => {
    let id = draw();
    while (taken.patientIds.has(id)) id = draw();
    return id;
  };
  const localIdA = fresh(() => `NC${prng.int(100_000, 999_999)}`);
  const localIdC = fresh(() => String(prng.int(1_000_000, 9_999_999)));
  return { person, localIdA, localIdC };
}

export interface ScreeningResult {
  studies: DemoStudy[];
  screening: DemoScreening;
}

/**
 * @example
 * const { studies, screening } = await writeScreeningMammograms(input, { nhsNumbers, patientIds });
 * screening.images.filter((i) => i.studyKey === 'mg-current'); // four views at site A
 */
export async function writeScreeningMammograms(input: StudyInput, taken: TakenIdentities): Promise<ScreeningResult> {
  const { person, localIdA, localIdC } = screeningPerson(input.seed, taken);
  const dates = createPrng(input.seed, 'screening-dates');
  const currentDate = addDays(input.dates.referenceDate, -dates.int(5, 25));
  // Screening recalls every three years in England; two years is within the window a reader compares.
  const priorDate = addDays(addMonths(currentDate, -24), -dates.int(0, 21));
  const plans: { key: MammogramTruth['studyKey']; siteKey: DemoSiteKey; PatientID: string; StudyDate: string }[] = [
    { key: 'mg-current', siteKey: 'a', PatientID: localIdA, StudyDate: currentDate },
    { key: 'mg-prior', siteKey: 'c', PatientID: localIdC, StudyDate: priorDate },
  ];
  const studies: DemoStudy[] = [];
  const images: MammogramTruth[] = [];
  for (const plan of plans) {
    const study = planStudy(input.plan, plan.key, {
      siteKey: plan.siteKey, person, PatientID: plan.PatientID, StudyDate: plan.StudyDate,
      StudyDescription: ScreeningStudyDescription, BodyPartExamined: 'BREAST', studyIdPrefix: 'MG',
    });
    const folder = input.plan.sites.find((s) => s.key === plan.siteKey)?.folder ?? `site-${plan.siteKey}`;
    const entries = [];
    for (const view of MammogramViews) {
      const series = planSeries(input.plan, study, { SeriesNumber: view.view, Modality: 'MG', SeriesDescription: `${view.Laterality} ${view.ViewPosition}` });
      const SOPInstanceUID = input.plan.uid(`mg/${plan.key}/${view.view}`);
      const bytes = encodeMammogram(study, series, view, SOPInstanceUID, input.seed);
      await writeFile(join(input.outDir, folder, `${plan.key}-s${view.view}-0001.dcm`), bytes);
      entries.push(seriesEntry(series, 1));
      images.push({
        studyKey: plan.key,
        SeriesInstanceUID: series.SeriesInstanceUID,
        SOPInstanceUID,
        Laterality: view.Laterality,
        ViewPosition: view.ViewPosition,
        ...geometry(view),
      });
    }
    studies.push(studyEntry(plan.key, study, 'screening', 'none', entries));
  }
  const issuer = (key: DemoSiteKey) => input.plan.sites.find((s) => s.key === key)?.issuer ?? '';
  return {
    studies,
    screening: {
      person,
      localIds: [
        { siteKey: 'a', PatientID: localIdA, IssuerOfPatientID: issuer('a') },
        { siteKey: 'c', PatientID: localIdC, IssuerOfPatientID: issuer('c') },
      ],
      images,
      why: 'A screening patient with a current mammogram at site A and her prior at site C, stored chest wall left: the 4-up hanging must mirror the right views so the chest walls face each other.',
    },
  };
}

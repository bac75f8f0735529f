import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidNhsNumber } from '../contracts/index';
import { BuiltInProtocols, hangStudy, type HangingSeries, type HangingStudy, type SeriesByStudy } from '../hanging/index';
import type { DemoManifest, DemoStudy, MammogramTruth } from './manifest';
import { generateSmallDemo, num, nums, pixelWords, readDataset, removeTempDirs, seq, str } from './testFixtures';

let dir = '';
let manifest: DemoManifest;

beforeAll(async () => {
  ({ dir, manifest } = await generateSmallDemo(1, { current: 4, prior: 4 }));
}, 60_000);
afterAll(removeTempDirs);

const study = (key: string): DemoStudy => manifest.studies.find((s) => s.key === key)!;
const images = (studyKey: MammogramTruth['studyKey']) => manifest.screening!.images.filter((i) => i.studyKey === studyKey);
const fileOf = (image: MammogramTruth) => {
  const entry = study(image.studyKey);
  const series = entry.series.find((s) => s.SeriesInstanceUID === image.SeriesInstanceUID)!;
  return join(dir, `site-${entry.siteKey}`, `${image.studyKey}-s${series.SeriesNumber}-0001.dcm`);
};

describe('screening mammograms', () => {
  it('writes R CC, L CC, R MLO, L MLO at site A and her prior about two years earlier at site C', async () => {
    const current = study('mg-current');
    const prior = study('mg-prior');
    expect([current.siteKey, prior.siteKey, current.person, prior.person]).toEqual(['a', 'c', 'screening', 'screening']);
    expect([current.StudyDescription, current.ModalitiesInStudy, current.BodyPartExamined]).toEqual(['Bilateral screening mammogram', ['MG'], 'BREAST']);
    expect(current.StudyDate < manifest.referenceDate!).toBe(true);
    const days = (Date.parse(`${current.StudyDate.slice(0, 4)}-${current.StudyDate.slice(4, 6)}-${current.StudyDate.slice(6)}`) -
      Date.parse(`${prior.StudyDate.slice(0, 4)}-${prior.StudyDate.slice(4, 6)}-${prior.StudyDate.slice(6)}`)) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(700);
    expect(days).toBeLessThanOrEqual(760);
    for (const key of ['mg-current', 'mg-prior'] as const) {
      expect(study(key).series.map((s) => [s.SeriesNumber, s.SeriesDescription, s.Modality, s.instanceCount])).toEqual([
        [1, 'R CC', 'MG', 1], [2, 'L CC', 'MG', 1], [3, 'R MLO', 'MG', 1], [4, 'L MLO', 'MG', 1],
      ]);
      expect(images(key).map((i) => `${i.Laterality} ${i.ViewPosition}`)).toEqual(['R CC', 'L CC', 'R MLO', 'L MLO']);
    }
  });

  it('stores each view as Digital Mammography For Presentation with series Laterality, ImageLaterality and ViewPosition', async () => {
    const orientation: Record<string, string[]> = { 'R CC': ['A', 'L'], 'L CC': ['A', 'R'], 'R MLO': ['A', 'FL'], 'L MLO': ['A', 'FR'] };
    for (const image of manifest.screening!.images) {
      const { dataset } = await readDataset(fileOf(image));
      const view = `${image.Laterality} ${image.ViewPosition}`;
      expect([str(dataset, 'SOPClassUID'), str(dataset, 'SOPInstanceUID'), str(dataset, 'SeriesInstanceUID')], view).toEqual([
        '1.2.840.10008.5.1.4.1.1.1.2', image.SOPInstanceUID, image.SeriesInstanceUID,
      ]);
      expect(['Modality', 'Laterality', 'ImageLaterality', 'ViewPosition', 'BodyPartExamined', 'PresentationIntentType', 'PhotometricInterpretation'].map((k) => str(dataset, k))).toEqual([
        'MG', image.Laterality, image.Laterality, image.ViewPosition, 'BREAST', 'FOR PRESENTATION', 'MONOCHROME2',
      ]);
      expect(dataset.PatientOrientation, view).toEqual(orientation[view]);
      expect(seq(dataset, 'ViewCodeSequence')[0]?.CodeMeaning).toBe(image.ViewPosition === 'CC' ? 'cranio-caudal' : 'medio-lateral oblique');
      expect([num(dataset, 'Rows'), num(dataset, 'Columns'), num(dataset, 'BitsAllocated'), num(dataset, 'BitsStored')]).toEqual([image.rows, image.columns, 16, 12]);
      expect(nums(dataset, 'ImagerPixelSpacing')).toEqual(image.imagerPixelSpacing);
    }
  });

  it('draws the breast as a half-ellipse on the LEFT edge of every stored image, black elsewhere, with the view marker far from it', async () => {
    for (const image of manifest.screening!.images) {
      const { dataset } = await readDataset(fileOf(image));
      const pixels = pixelWords(dataset);
      const at = (row: number, column: number) => pixels[row * image.columns + column]!;
      const { centreRow, depthColumns, halfHeightRows, minValue, maxValue } = image.breast;
      const inBreast = (v: number) => v >= minValue && v <= maxValue;
      const view = `${image.studyKey} ${image.Laterality} ${image.ViewPosition}`;
      expect(image.chestWall).toBe('left');
      // Along the chest wall (column 0) the breast spans its full height; the right edge is black.
      for (let row = centreRow - halfHeightRows + 4; row <= centreRow + halfHeightRows - 4; row += 8) {
        expect(inBreast(at(row, 0)), `${view} chest wall row ${row}`).toBe(true);
        expect(at(row, image.columns - 1), `${view} right edge row ${row}`).toBe(image.background);
      }
      expect(inBreast(at(centreRow, depthColumns - 4)), `${view} nipple`).toBe(true);
      expect(at(centreRow, depthColumns + 4)).toBe(image.background);
      expect([at(centreRow - halfHeightRows - 4, 0), at(centreRow + halfHeightRows + 4, 0)]).toEqual([image.background, image.background]);
      // The marker: `blocks` bright squares counted along their middle row from the right.
      const { top, size, value, blocks, firstColumn, step } = image.marker;
      const middle = top + Math.floor(size / 2);
      let runs = 0;
      for (let column = 1; column < image.columns; column++) if (at(middle, column) === value && at(middle, column - 1) !== value) runs += 1;
      expect(runs, view).toBe(blocks);
      expect(at(middle, firstColumn + 1)).toBe(value);
      expect(at(middle, firstColumn - (blocks - 1) * step + 1)).toBe(value);
      // MLO: the pectoral wedge is brighter than the gland in the upper chest-wall corner.
      const corner = at(centreRow - halfHeightRows + 12, 4);
      expect(corner > 2700, `${view} pectoral ${corner}`).toBe(image.pectoralMuscle);
    }
  });

  it('gives her her own NHS number and issuer-qualified local IDs at A and C, shared with no other person', async () => {
    const screening = manifest.screening!;
    expect(screening.person.PatientSex).toBe('F');
    expect(isValidNhsNumber(screening.person.nhsNumber)).toBe(true);
    const others = [manifest.patient, ...manifest.traps.map((t) => t.person), manifest.hostile!.person].map((p) => p.nhsNumber);
    expect(others).not.toContain(screening.person.nhsNumber);
    expect(screening.localIds.map((l) => [l.siteKey, l.IssuerOfPatientID])).toEqual([['a', 'NCC'], ['c', 'MII']]);
    const otherIds = manifest.studies.filter((s) => s.person !== 'screening').map((s) => `${s.PatientID}@${s.IssuerOfPatientID}`);
    for (const local of screening.localIds) expect(otherIds).not.toContain(`${local.PatientID}@${local.IssuerOfPatientID}`);
    for (const image of screening.images) {
      const { dataset } = await readDataset(fileOf(image));
      const local = screening.localIds.find((l) => l.siteKey === study(image.studyKey).siteKey)!;
      expect([str(dataset, 'PatientID'), str(dataset, 'IssuerOfPatientID'), str(dataset, 'OtherPatientIDs'), str(dataset, 'PatientName')]).toEqual([
        local.PatientID, local.IssuerOfPatientID, screening.person.nhsNumber, screening.person.PatientName,
      ]);
    }
  });
});

describe('hanging her mammograms', () => {
  /** Her timeline as the browser builds it: both studies, each at its own site, linked by NHS number. */
  function hangingInputs() {
    const screening = manifest.screening!;
    const siteOf = (s: DemoStudy) => manifest.sites.find((site) => site.key === s.siteKey)!;
    const timeline: HangingStudy[] = manifest.studies
      .filter((s) => s.person === 'screening')
      .map((s) => ({
        StudyInstanceUID: s.StudyInstanceUID,
        StudyDate: s.StudyDate,
        StudyTime: '',
        StudyDescription: s.StudyDescription,
        ModalitiesInStudy: s.ModalitiesInStudy,
        NumberOfStudyRelatedInstances: s.series.length,
        locations: [{ siteId: siteOf(s).siteId, PatientID: s.PatientID!, IssuerOfPatientID: s.IssuerOfPatientID!, linkBasis: 'national-id' as const }],
      }));
    const seriesByStudy: SeriesByStudy = Object.fromEntries(
      manifest.studies
        .filter((s) => s.person === 'screening')
        .map((s) => [
          s.StudyInstanceUID,
          s.series.map((series): HangingSeries => {
            const image = screening.images.find((i) => i.SeriesInstanceUID === series.SeriesInstanceUID)!;
            return { ...series, NumberOfSeriesRelatedInstances: series.instanceCount, BodyPartExamined: s.BodyPartExamined, Laterality: image.Laterality, ViewPosition: image.ViewPosition };
          }),
        ]),
    );
    return { timeline, seriesByStudy };
  }

  it('hangs her current mammogram 4-up with mg-4up, right views mirrored, and the site-C prior under the current CC and MLO views', () => {
    const { timeline, seriesByStudy } = hangingInputs();
    const current = timeline.find((s) => s.StudyInstanceUID === study('mg-current').StudyInstanceUID)!;
    const decision = hangStudy(BuiltInProtocols, { current, timeline, seriesByStudy, sitePreference: manifest.sites.map((s) => s.siteId) });
    expect(decision.protocol.id).toBe('mg-4up');
    expect(decision.priors.priors.map((p) => [p.StudyInstanceUID, p.siteId])).toEqual([[study('mg-prior').StudyInstanceUID, 'site-c']]);
    const name = (uid: string) => {
      const image = manifest.screening!.images.find((i) => i.SeriesInstanceUID === uid)!;
      return `${image.studyKey} ${image.Laterality} ${image.ViewPosition}`;
    };
    const cells = (stage: number) =>
      decision.stages[stage]!.viewports.map((v) =>
        v.content.kind === 'series' ? `${name(v.content.SeriesInstanceUID)} @${v.content.siteId} ${v.content.role}${v.options.mirrored ? ' mirrored' : ''}` : `empty: ${v.content.reason}`,
      );
    expect(cells(0)).toEqual([
      'mg-current R CC @site-a current mirrored',
      'mg-current L CC @site-a current',
      'mg-current R MLO @site-a current mirrored',
      'mg-current L MLO @site-a current',
    ]);
    expect(cells(1)).toEqual([
      'mg-current R CC @site-a current mirrored',
      'mg-current L CC @site-a current',
      'mg-prior R CC @site-c prior mirrored',
      'mg-prior L CC @site-c prior',
    ]);
    expect(cells(2)).toEqual([
      'mg-current R MLO @site-a current mirrored',
      'mg-current L MLO @site-a current',
      'mg-prior R MLO @site-c prior mirrored',
      'mg-prior L MLO @site-c prior',
    ]);
  });
});

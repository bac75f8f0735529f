import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidNhsNumber } from '../contracts/index';
import type { DemoManifest } from './manifest';
import { locateInCt } from './locate';
import { generateSmallDemo, removeTempDirs, listDemoFiles, num, nums, pixelWords, readDataset, seq, SmallSliceCounts, str } from './testFixtures';
import { isValidUid } from './uids';

let dir = '';
let manifest: DemoManifest;

beforeAll(async () => {
  ({ dir, manifest } = await generateSmallDemo());
}, 60_000);
afterAll(removeTempDirs);

function ctFiles(stem: string, count: number, site: string): string[] {
  return Array.from({ length: count }, (_, i) => join(dir, site, `${stem}-${String(i + 1).padStart(4, '0')}.dcm`));
}

describe('CT geometry', () => {
  it('steps ImagePositionPatient by sliceStep along the slice normal, with InstanceNumber rising with z', async () => {
    const truth = manifest.ct.find((c) => c.studyKey === 'ct-current');
    expect(truth?.geometry.sliceCount).toBe(SmallSliceCounts.current);
    const g = truth!.geometry;
    const datasets = await Promise.all(ctFiles('ct-current-ct', g.sliceCount, 'site-a').map(async (f) => (await readDataset(f)).dataset));
    const frames = new Set<string>();
    datasets.forEach((ds, i) => {
      expect(nums(ds, 'ImageOrientationPatient')).toEqual(g.imageOrientationPatient);
      expect(nums(ds, 'PixelSpacing')).toEqual(g.pixelSpacing);
      expect([num(ds, 'Rows'), num(ds, 'Columns')]).toEqual([g.rows, g.columns]);
      expect(num(ds, 'SliceThickness')).toBe(g.sliceThickness);
      expect(num(ds, 'InstanceNumber')).toBe(i + 1);
      const position = nums(ds, 'ImagePositionPatient');
      // Axial 1\0\0\0\1\0 has normal +z: each slice is sliceStep further along it.
      expect(position).toEqual([g.firstPosition[0], g.firstPosition[1], g.firstPosition[2] + i * g.sliceStep]);
      expect(pixelWords(ds).length).toBe(g.rows * g.columns);
      frames.add(str(ds, 'FrameOfReferenceUID'));
    });
    expect([...frames]).toEqual([g.FrameOfReferenceUID]);
  });

  it('gives the prior CT its own frame of reference and a table offset that moves the lesion', () => {
    const [current, prior] = manifest.ct;
    expect(prior?.geometry.FrameOfReferenceUID).not.toBe(current?.geometry.FrameOfReferenceUID);
    expect(prior?.tableOffset).not.toEqual(current?.tableOffset);
    expect(prior?.lesion.centre[2]).not.toBe(current?.lesion.centre[2]);
    expect(prior!.lesion.diameterMm).toBeLessThan(current!.lesion.diameterMm);
  });
});

describe('CT phantom truth', () => {
  for (const [studyKey, stem, site] of [['ct-current', 'ct-current-ct', 'site-a'], ['ct-prior', 'ct-prior-ct', 'site-b']] as const) {
    it(`${studyKey}: decoded HU at every landmark matches the manifest within the noise`, async () => {
      const truth = manifest.ct.find((c) => c.studyKey === studyKey)!;
      const names = truth.landmarks.map((l) => l.name);
      expect(names).toEqual(['air', 'lung', 'soft-tissue', 'bone', 'lesion']);
      for (const landmark of truth.landmarks) {
        const { sliceIndex, column, row } = locateInCt(truth, landmark.point);
        expect(Math.min(column, row, sliceIndex, truth.geometry.columns - 1 - column, truth.geometry.rows - 1 - row)).toBeGreaterThanOrEqual(0);
        const file = ctFiles(stem, truth.geometry.sliceCount, site)[sliceIndex]!;
        const { dataset } = await readDataset(file);
        const hu = pixelWords(dataset)[row * truth.geometry.columns + column]! + num(dataset, 'RescaleIntercept');
        expect(Math.abs(hu - landmark.hu), `${landmark.name} at ${column},${row},${sliceIndex}`).toBeLessThanOrEqual(truth.noiseAmplitudeHu);
      }
      expect(truth.landmarks.map((l) => l.hu)).toEqual([-1000, -850, 40, 700, 40]);
    });
  }

  it('puts the lesion in the right lung (negative x) and lung, not lesion, one lesion diameter away', async () => {
    const truth = manifest.ct.find((c) => c.studyKey === 'ct-current')!;
    expect(truth.lesion.centre[0]).toBeLessThan(0);
    const beside: [number, number, number] = [truth.lesion.centre[0] + truth.lesion.diameterMm, truth.lesion.centre[1], truth.lesion.centre[2]];
    const { sliceIndex, column, row } = locateInCt(truth, beside);
    const { dataset } = await readDataset(ctFiles('ct-current-ct', truth.geometry.sliceCount, 'site-a')[sliceIndex]!);
    const hu = pixelWords(dataset)[row * truth.geometry.columns + column]! - 1024;
    expect(Math.abs(hu - -850)).toBeLessThanOrEqual(truth.noiseAmplitudeHu);
  });
});

describe('identity', () => {
  it('carries a valid NHS number in OtherPatientIDs and OtherPatientIDsSequence on every file in the usual form', async () => {
    const files = await listDemoFiles(dir);
    expect(files.length).toBeGreaterThan(50);
    const people = [manifest.patient, ...manifest.traps.map((t) => t.person), manifest.hostile!.person, manifest.screening!.person];
    const unusual = manifest.studies.filter((s) => s.identityForm).map((s) => s.key);
    for (const { file } of files) {
      if (unusual.some((key) => file.includes(`${key}-`))) continue;
      const { dataset } = await readDataset(file);
      const nhs = str(dataset, 'OtherPatientIDs');
      expect(isValidNhsNumber(nhs), file).toBe(true);
      const item = (dataset.OtherPatientIDsSequence as Record<string, unknown>[])[0]!;
      expect([item.PatientID, item.IssuerOfPatientID]).toEqual([nhs, 'NHS']);
      const person = people.find((p) => p.nhsNumber === nhs)!;
      expect([str(dataset, 'PatientBirthDate'), str(dataset, 'PatientSex')]).toEqual([person.PatientBirthDate, person.PatientSex]);
      expect(str(dataset, 'PatientName')).toBe(person.PatientName.split('=')[0]);
    }
  });

  it('writes the discovery records the way real archives do: sequence only, spaced, and no national ID with a name typo', async () => {
    const nhs = manifest.patient.nhsNumber;
    const study = (key: string) => manifest.studies.find((s) => s.key === key)!;
    const file = async (key: string) => (await readDataset(join(dir, `site-${study(key).siteKey}`, `${key}-cr-0001.dcm`))).dataset;
    expect(['xr-sequence-only', 'xr-spaced-nhs', 'xr-demographics-only'].map((k) => [study(k).siteKey, study(k).identityForm, study(k).person])).toEqual([
      ['b', 'sequence-only', 'patient'], ['c', 'spaced-nhs', 'patient'], ['a', 'demographics-only', 'patient'],
    ]);
    const sequenceOnly = await file('xr-sequence-only');
    expect(sequenceOnly.OtherPatientIDs).toBeUndefined();
    expect([str(sequenceOnly, 'PatientID'), str(sequenceOnly, 'IssuerOfPatientID')]).toEqual([manifest.sites[1]!.localPatientId, 'RDH']);
    expect(seq(sequenceOnly, 'OtherPatientIDsSequence').map((i) => [i.PatientID, i.IssuerOfPatientID])).toEqual([[nhs, 'NHS']]);

    const spaced = await file('xr-spaced-nhs');
    const spacedNhs = `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`;
    expect(str(spaced, 'OtherPatientIDs')).toBe(spacedNhs);
    expect(seq(spaced, 'OtherPatientIDsSequence').map((i) => i.PatientID)).toEqual([spacedNhs]);

    const demographicsOnly = await file('xr-demographics-only');
    expect([demographicsOnly.OtherPatientIDs, demographicsOnly.OtherPatientIDsSequence]).toEqual([undefined, undefined]);
    expect(str(demographicsOnly, 'IssuerOfPatientID')).toBe('NCC');
    expect(str(demographicsOnly, 'PatientID')).not.toBe(manifest.sites[0]!.localPatientId);
    expect(str(demographicsOnly, 'PatientName')).toBe(study('xr-demographics-only').PatientName);
    const typoFamily = str(demographicsOnly, 'PatientName').split('^')[0]!;
    const patientFamily = manifest.patient.PatientName.split('^')[0]!;
    expect(typoFamily).not.toBe(patientFamily);
    expect([...typoFamily].filter((c, i) => c !== patientFamily[i]).length).toBe(1);
    expect([str(demographicsOnly, 'PatientBirthDate'), str(demographicsOnly, 'PatientSex')]).toEqual([manifest.patient.PatientBirthDate, manifest.patient.PatientSex]);
  });

  it('stores a stranger whose PatientName and StudyDescription are HTML, with their own valid NHS number', async () => {
    const hostile = manifest.hostile!;
    const study = manifest.studies.find((s) => s.person === 'hostile-name')!;
    expect([study.siteKey, study.PatientID, study.IssuerOfPatientID, study.StudyDescription]).toEqual(['c', hostile.PatientID, 'MII', '<script>alert(2)</script>']);
    expect(isValidNhsNumber(hostile.person.nhsNumber)).toBe(true);
    expect(hostile.person.nhsNumber).not.toBe(manifest.patient.nhsNumber);
    const { dataset } = await readDataset(join(dir, 'site-c', 'hostile-name-cr-0001.dcm'));
    // PN component groups split at "=": the raw value is the whole HTML string.
    expect(dataset.PatientName).toEqual([{ Alphabetic: '<img src', Ideographic: 'x onerror', Phonetic: 'alert(1)>' }]);
    expect(str(dataset, 'StudyDescription')).toBe('<script>alert(2)</script>');
  });

  it("gives our patient a different issuer-qualified local ID at each site, matching the files", async () => {
    const ids = manifest.sites.map((s) => s.localPatientId);
    expect(new Set(ids).size).toBe(3);
    expect(manifest.sites.map((s) => [s.siteId, s.name, s.issuer])).toEqual([
      ['site-a', 'Northgate Cancer Centre', 'NCC'],
      ['site-b', 'Riverside District Hospital', 'RDH'],
      ['site-c', 'Meadow Independent Imaging', 'MII'],
    ]);
    for (const study of manifest.studies.filter((s) => s.person === 'patient' && s.identityForm !== 'demographics-only')) {
      const site = manifest.sites.find((s) => s.key === study.siteKey)!;
      expect([study.PatientID, study.IssuerOfPatientID]).toEqual([site.localPatientId, site.issuer]);
    }
  });

  it('sets the traps: a same local ID at another issuer, and same demographics with another NHS number', async () => {
    const sameId = manifest.traps.find((t) => t.key === 'trap-same-local-id')!;
    const siteC = manifest.sites.find((s) => s.key === 'c')!;
    expect([sameId.siteKey, sameId.IssuerOfPatientID, sameId.PatientID]).toEqual(['b', 'RDH', siteC.localPatientId]);
    expect(sameId.person.PatientName).not.toBe(manifest.patient.PatientName);
    expect(sameId.person.nhsNumber).not.toBe(manifest.patient.nhsNumber);

    const sameDemo = manifest.traps.find((t) => t.key === 'trap-same-demographics')!;
    expect([sameDemo.person.PatientName, sameDemo.person.PatientBirthDate]).toEqual([manifest.patient.PatientName, manifest.patient.PatientBirthDate]);
    expect(sameDemo.person.nhsNumber).not.toBe(manifest.patient.nhsNumber);
    expect(isValidNhsNumber(sameDemo.person.nhsNumber)).toBe(true);

    const cr = (await readDataset(join(dir, 'site-b', 'trap-same-local-id-cr-0001.dcm'))).dataset;
    expect([str(cr, 'PatientID'), str(cr, 'IssuerOfPatientID')]).toEqual([siteC.localPatientId, 'RDH']);
    for (const trap of manifest.traps) {
      expect(manifest.studies.find((s) => s.person === trap.key)?.siteKey).toBe(trap.siteKey);
    }
  });
});

describe('studies', () => {
  it('lists every study with valid UIDs, study attributes and the expected reports', async () => {
    expect(manifest.studies.map((s) => [s.key, s.siteKey, s.report])).toEqual([
      ['ct-current', 'a', 'sr'], ['ct-prior', 'b', 'pdf'], ['mr-brain', 'b', 'none'], ['us-abdomen', 'c', 'none'],
      ['trap-same-local-id', 'b', 'none'], ['trap-same-demographics', 'a', 'none'],
      ['xr-sequence-only', 'b', 'none'], ['xr-spaced-nhs', 'c', 'none'], ['xr-demographics-only', 'a', 'none'], ['hostile-name', 'c', 'none'],
      ['mg-current', 'a', 'none'], ['mg-prior', 'c', 'none'], ['mr-thorax', 'b', 'none'],
    ]);
    for (const study of manifest.studies) {
      expect(isValidUid(study.StudyInstanceUID)).toBe(true);
      for (const series of study.series) expect(isValidUid(series.SeriesInstanceUID)).toBe(true);
    }
    for (const { file } of await listDemoFiles(dir)) {
      const { dataset } = await readDataset(file);
      for (const keyword of ['StudyDate', 'StudyTime', 'AccessionNumber', 'StudyID', 'StudyDescription', 'BodyPartExamined', 'SeriesDescription', 'SOPInstanceUID']) {
        expect(str(dataset, keyword), `${keyword} in ${file}`).not.toBe('');
      }
      expect(str(dataset, 'Manufacturer')).toBe('Crossview Demo');
      expect(isValidUid(str(dataset, 'SOPInstanceUID'))).toBe(true);
    }
  });

  it('dates the prior six months before the current CT, both before the reference date', () => {
    const date = (key: string): string => manifest.studies.find((s) => s.key === key)!.StudyDate;
    expect(date('ct-current') < manifest.referenceDate!).toBe(true);
    expect(Number(date('ct-current').slice(0, 6)) - Number(date('ct-prior').slice(0, 6))).toSatisfy((d: number) => d === 6 || d === 94);
  });

  it('writes the MR brain as T1, T2 and FLAIR with ≥ 20 slices sharing one frame of reference, CSF bright only on T2', async () => {
    const mr = manifest.studies.find((s) => s.key === 'mr-brain')!;
    expect(mr.series.map((s) => [s.SeriesDescription, s.instanceCount >= 20])).toEqual([['Ax T1', true], ['Ax T2', true], ['Ax FLAIR', true]]);
    // Slice 14 (z = 10) cuts the ventricles at x = ±9 mm: column 128 + 9/0.9375 ≈ 138, row 123.
    const centre = await Promise.all([1, 2, 3].map(async (s) => (await readDataset(join(dir, 'site-b', `mr-brain-s${s}-0014.dcm`))).dataset));
    expect(new Set(centre.map((ds) => str(ds, 'FrameOfReferenceUID'))).size).toBe(1);
    const csf = centre.map((ds) => pixelWords(ds)[123 * 256 + 138]!);
    expect(csf[1]).toBeGreaterThan(900);
    expect(csf[0]).toBeLessThan(300);
    expect(csf[2]).toBeLessThan(300);
  });

  it('stores the prior report as an encapsulated PDF with the finding text', async () => {
    const { dataset } = await readDataset(join(dir, 'site-b', 'ct-prior-pdf-0001.dcm'));
    expect(str(dataset, 'SOPClassUID')).toBe('1.2.840.10008.5.1.4.1.1.104.1');
    expect(str(dataset, 'MIMETypeOfEncapsulatedDocument')).toBe('application/pdf');
    const doc = dataset.EncapsulatedDocument;
    const bytes = new Uint8Array((Array.isArray(doc) ? doc[0] : doc) as ArrayBuffer);
    const pdf = new TextDecoder().decode(bytes.subarray(0, num(dataset, 'EncapsulatedDocumentLength')));
    expect(pdf.startsWith('%PDF-1.4')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(pdf).toContain('(Prior CT chest: 12 mm nodule right lower lobe.)');
    const xref = Number(/startxref\n(\d+)/.exec(pdf)?.[1]);
    expect(pdf.slice(xref, xref + 4)).toBe('xref');
  });

  it('keeps raw manifest.json equal to the returned manifest', async () => {
    expect(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'))).toEqual(manifest);
  });
});

describe('MR thorax (the RT planning MR prior)', () => {
  it('is a T1 axial at site B in its own frame of reference, with the nodule bright at the slice the truth names', async () => {
    const truth = manifest.mrThorax!;
    const study = manifest.studies.find((s) => s.key === 'mr-thorax')!;
    expect(study.siteKey).toBe('b');
    expect(study.BodyPartExamined).toBe('CHEST');
    expect(truth.FrameOfReferenceUID).not.toBe(manifest.ct.find((c) => c.studyKey === 'ct-current')!.geometry.FrameOfReferenceUID);
    const index = Math.round((truth.lesionCentre[2] - truth.firstPosition[2]) / truth.sliceStep);
    const { dataset } = await readDataset(join(dir, 'site-b', `mr-thorax-s1-${String(index + 1).padStart(4, '0')}.dcm`));
    expect(Number((dataset.ImagePositionPatient as number[])[2])).toBeCloseTo(truth.lesionCentre[2], 3);
    const spacing = Number((dataset.PixelSpacing as number[])[0]);
    const columns = Number(dataset.Columns);
    const stored = dataset.PixelData as ArrayBuffer | ArrayBuffer[];
    const pixels = new Uint16Array(Array.isArray(stored) ? stored[0]! : stored);
    const valueAt = (x: number, y: number) => {
      const [x0, y0] = dataset.ImagePositionPatient as number[];
      return pixels[Math.round((y - y0!) / spacing) * columns + Math.round((x - x0!) / spacing)]!;
    };
    const [cx, cy] = truth.lesionCentre;
    expect(valueAt(cx, cy)).toBeGreaterThan(650); // the nodule
    expect(valueAt(cx - 20, cy)).toBeLessThan(80); // lung beside it
  });
});

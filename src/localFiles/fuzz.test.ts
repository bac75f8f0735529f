/**
 * 500 mutated DICOM files through the local-file parser. The originals are the demo CD's own
 * files (a native CT slice, a native CR and a JPEG baseline ultrasound), written at test time;
 * each mutation is drawn from a seeded stream and built so that the result really is invalid
 * (a length that lands exactly on another element's start, which would leave a valid file, is
 * never drawn). Every mutant must be rejected with a reason and nothing may throw.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoCd } from '../demo/cdFolder';
import type { DemoCdTruth } from '../demo/manifest';
import { createPeople, createSites } from '../demo/people';
import { createPrng, type Prng } from '../demo/prng';
import { makeTempDir, removeTempDirs } from '../demo/testFixtures';
import { createUidFactory } from '../demo/uids';
import { parseLocalFile } from './index';

const MutantCount = 500;
const LongLengthVrs = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const NotVrs = ['QQ', 'XX', 'ob', 'A1', '\0\0', 'ZZ', 'U ', 'PX'];
const MutationKinds = ['truncate', 'wrong-length', 'bad-vr', 'huge-length', 'wrong-syntax', 'no-pixel-data', 'short-pixel-data'] as const;
type MutationKind = (typeof MutationKinds)[number];

interface Original {
  name: string;
  bytes: Uint8Array;
  /** Top-level data set elements (not the meta group) with their header positions. */
  elements: { tag: string; vr: string; headerStart: number; dataOffset: number; length: number; undefinedLength: boolean }[];
  /** Every element and item start in the file: a length ending on one of these would still parse. */
  boundaries: Set<number>;
  pixelStart: number;
  encapsulated: boolean;
}

function describeOriginal(name: string, bytes: Uint8Array): Original {
  const dataSet = dicomParser.parseDicom(bytes);
  const boundaries = new Set<number>([bytes.length]);
  const walk = (set: dicomParser.DataSet) => {
    for (const element of Object.values(set.elements)) {
      boundaries.add(element.dataOffset - (LongLengthVrs.has(element.vr ?? '') ? 12 : 8));
      for (const item of element.items ?? []) {
        boundaries.add(item.dataOffset - 8);
        if (item.dataSet) walk(item.dataSet);
      }
    }
  };
  walk(dataSet);
  const elements = Object.values(dataSet.elements)
    .filter((e) => !e.tag.startsWith('x0002'))
    .map((e) => ({
      tag: e.tag,
      vr: e.vr ?? '',
      headerStart: e.dataOffset - (LongLengthVrs.has(e.vr ?? '') ? 12 : 8),
      dataOffset: e.dataOffset,
      length: e.length,
      undefinedLength: Boolean(e.hadUndefinedLength),
    }));
  const pixel = elements.find((e) => e.tag === 'x7fe00010')!;
  return { name, bytes, elements, boundaries, pixelStart: pixel.headerStart, encapsulated: pixel.undefinedLength };
}

function setLength(bytes: Uint8Array, element: Original['elements'][number], length: number): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  if (LongLengthVrs.has(element.vr)) view.setUint32(element.dataOffset - 4, length, true);
  else view.setUint16(element.dataOffset - 2, length, true);
  return out;
}

function withSyntax(bytes: Uint8Array, uid: string): Uint8Array {
  const meta = dicomParser.readPart10Header(bytes);
  const syntax = meta.elements.x00020010!;
  const groupLength = meta.elements.x00020000!;
  const value = new TextEncoder().encode(uid.length % 2 ? `${uid}\0` : uid);
  const out = new Uint8Array(bytes.length - syntax.length + value.length);
  out.set(bytes.subarray(0, syntax.dataOffset), 0);
  out.set(value, syntax.dataOffset);
  out.set(bytes.subarray(syntax.dataOffset + syntax.length), syntax.dataOffset + value.length);
  const view = new DataView(out.buffer);
  view.setUint16(syntax.dataOffset - 2, value.length, true);
  view.setUint32(groupLength.dataOffset, view.getUint32(groupLength.dataOffset, true) + value.length - syntax.length, true);
  return out;
}

/** One mutant of `original`, or undefined when this draw cannot make an invalid file (drawn again). */
function mutate(kind: MutationKind, original: Original, prng: Prng): Uint8Array | undefined {
  const { bytes } = original;
  const definedShort = original.elements.filter((e) => !e.undefinedLength && !LongLengthVrs.has(e.vr));
  switch (kind) {
    case 'truncate':
      // Anywhere from inside the preamble to the last byte but one.
      return bytes.slice(0, prng.int(0, bytes.length - 1));
    case 'wrong-length': {
      const element = prng.pick(definedShort);
      const length = element.length + prng.pick([-1, 1]) * prng.int(1, 40);
      if (length < 0 || length > 0xfffe || original.boundaries.has(element.dataOffset + length)) return undefined;
      return setLength(bytes, element, length);
    }
    case 'bad-vr': {
      const element = prng.pick(original.elements);
      const out = bytes.slice();
      const vr = prng.pick(NotVrs);
      out[element.headerStart + 4] = vr.charCodeAt(0);
      out[element.headerStart + 5] = vr.charCodeAt(1);
      return out;
    }
    case 'huge-length': {
      const long = original.elements.filter((e) => LongLengthVrs.has(e.vr));
      const element = prng.pick(long);
      const length = 2 * prng.int(Math.ceil(bytes.length / 2) + 1, 0x7ffffff0);
      return setLength(bytes, element, length);
    }
    case 'wrong-syntax': {
      const native = ['1.2.840.10008.1.2', '1.2.840.10008.1.2.2'];
      const compressed = ['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.5', '1.2.840.10008.1.2.4.80'];
      const unknown = ['1.2.3', '1.2.840.10008.1.2.4.999', '1.2.840.10008.1.2.4.100', ''];
      const pool = original.encapsulated ? [...native, '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.5', ...unknown] : [...native, ...compressed, ...unknown];
      return withSyntax(bytes, prng.pick(pool));
    }
    case 'no-pixel-data':
      return bytes.slice(0, original.pixelStart);
    case 'short-pixel-data': {
      // Declared and present alike, but fewer bytes than the image needs.
      if (original.encapsulated) return undefined;
      const pixel = original.elements.find((e) => e.tag === 'x7fe00010')!;
      const length = 2 * prng.int(0, pixel.length / 2 - 1);
      return setLength(bytes, pixel, length).slice(0, pixel.dataOffset + length);
    }
  }
}

let cd: DemoCdTruth;
let originals: Original[] = [];

beforeAll(async () => {
  const dir = await makeTempDir('crossview-fuzz-');
  const people = createPeople(1);
  cd = await writeDemoCd({ uid: createUidFactory(1), patient: people.patient, referenceDate: '20250614', outDir: dir, seed: 1, siteShape: createSites(people)[0]! });
  const pick = (modality: string) => {
    const series = cd.series.find((s) => s.Modality === modality)!;
    return cd.files.find((f) => f.SeriesInstanceUID === series.SeriesInstanceUID)!.file;
  };
  originals = await Promise.all(
    ['CT', 'CR', 'US'].map(async (modality) => describeOriginal(modality, new Uint8Array(await readFile(join(dir, cd.folder, pick(modality)))))),
  );
}, 60_000);

afterAll(removeTempDirs);

describe('local-file parser under mutation', () => {
  it('parses the unmutated CT, CR and JPEG baseline US with the identity they were written with', () => {
    for (const original of originals) {
      const parsed = parseLocalFile(original.name, original.bytes);
      expect(parsed.kind, original.name).toBe('instance');
      if (parsed.kind !== 'instance') continue;
      const file = cd.files.find((f) => f.SOPInstanceUID === parsed.instance.identity.SOPInstanceUID);
      expect(file, `${original.name}: a SOPInstanceUID the CD holds`).toBeDefined();
      expect(parsed.instance.identity.SeriesInstanceUID).toBe(file!.SeriesInstanceUID);
      expect(parsed.instance.identity.StudyInstanceUID).toBe(cd.StudyInstanceUID);
      expect(parsed.instance.identity.PatientID).toBe(cd.PatientID);
      expect(parsed.instance.identity.IssuerOfPatientID).toBe(cd.IssuerOfPatientID);
      expect(parsed.instance.identity.OtherPatientIDs).toContain(cd.nhsNumber);
      expect(parsed.instance.identity.Modality).toBe(original.name);
      expect(parsed.instance.transferSyntaxUID).toBe(file!.transferSyntaxUID);
      expect(parsed.instance.pixels?.kind).toBe(original.encapsulated ? 'encapsulated' : 'native');
      // Metadata is DICOM JSON without the pixels.
      expect(parsed.instance.metadata['7FE00010']).toBeUndefined();
      expect(parsed.instance.metadata['0020000D']?.Value).toEqual([cd.StudyInstanceUID]);
    }
  });

  it('rejects every one of 500 seeded mutants (truncated, wrong and huge lengths, bad VRs, wrong syntax, missing or short pixel data) with a reason, and never throws', () => {
    const prng = createPrng(7, 'local-files-fuzz');
    const counts = new Map<MutationKind, { mutants: number; rejected: number; thrown: number; example: string }>(MutationKinds.map((k) => [k, { mutants: 0, rejected: 0, thrown: 0, example: '' }]));
    const accepted: string[] = [];
    let made = 0;
    let draws = 0;
    while (made < MutantCount && draws < MutantCount * 20) {
      draws += 1;
      const kind = MutationKinds[made % MutationKinds.length]!;
      const original = prng.pick(originals);
      const mutant = mutate(kind, original, prng);
      if (!mutant) continue;
      made += 1;
      const row = counts.get(kind)!;
      row.mutants += 1;
      try {
        const parsed = parseLocalFile(`${kind}-${made}`, mutant);
        if (parsed.kind === 'rejected' && parsed.reason.trim().length > 0) {
          row.rejected += 1;
          row.example ||= parsed.reason;
        } else accepted.push(`${kind} of ${original.name} (#${made}) was accepted as ${parsed.kind}`);
      } catch (error) {
        row.thrown += 1;
        accepted.push(`${kind} of ${original.name} (#${made}) threw ${String(error)}`);
      }
    }
    console.table(Object.fromEntries([...counts].map(([kind, row]) => [kind, row])));
    expect(made).toBe(MutantCount);
    expect(accepted).toEqual([]);
    expect([...counts.values()].reduce((sum, row) => sum + row.thrown, 0)).toBe(0);
    for (const [kind, row] of counts) expect(row.mutants, kind).toBeGreaterThan(40);
  });
});

/**
 * Conformance over other vendors' real files: every DICOM image among pydicom's test files
 * (Debian's python3-pydicom, installed by `scripts/ensure-tools.mjs pydicom`, never committed)
 * is served by the gateway's folder site and opened in Chromium. Each must either render (the
 * viewport ready, real non-uniform pixels on screen) or say why not in the viewport; a blank
 * canvas without a message, or a crashed page, fails. The whole pydicom folder goes into the
 * site, non-images and malformed files included, so they must not spoil it for the others.
 *
 * Many of the files share UIDs (the same MR in eight encodings has one SOP Instance UID), so each
 * image's copy gets fresh Study/Series/SOP Instance UIDs of the same length written over the old
 * ones, and a patient ID with an issuer (see `asOwnStudy`); Pixel Data stays as the vendor wrote
 * it. Each image is then its own study, opened by its EHR launch link in one reused page, one
 * gateway for all.
 *
 * The MR_small encodings are one image: pydicom's own decoder reads the reference values, and
 * every lossless encoding must decode to exactly those values in the browser.
 */
import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import dcmjs from 'dcmjs';
import dicomParser from 'dicom-parser';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/contracts/index';
import { isImageSeries } from '../src/hanging/index';
import { transferSyntaxName } from '../src/imaging/index';
import { createFolderSite, startGateway, type Gateway } from '../src/server/index';
import { launchChromium } from './support/browser';
import { testAuthConfig } from './hospitals/testAccounts';
import { signedInPage } from './support/signIn';

/** Where Debian's package keeps pydicom's test files, asked of dpkg rather than assumed. */
function pydicomTestFiles(): string {
  let listing: string;
  try {
    listing = execFileSync('dpkg', ['-L', 'python3-pydicom'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    throw new Error('conformance: python3-pydicom is not installed — run: node scripts/ensure-tools.mjs pydicom');
  }
  const dir = listing.split('\n').find((line) => line.endsWith('/pydicom/data/test_files'));
  if (!dir) throw new Error('conformance: python3-pydicom lists no pydicom/data/test_files folder');
  return dir;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    })
    .sort();
}

/** What the header says about one file, read with dicom-parser as far as it goes. */
interface Header {
  name: string;
  path: string;
  /** Why dicom-parser stopped, for files it cannot read to the end. */
  parseError?: string;
  dataSet?: dicomParser.DataSet;
  /** For the deflated syntax: where the deflated bytes start (offsets refer to the inflated ones). */
  deflatedAt?: number;
  transferSyntaxUID?: string;
  isImage: boolean;
}

function errorText(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && 'exception' in error) return String((error as { exception: unknown }).exception);
  return error instanceof Error ? error.message : String(error);
}

function readHeader(root: string, path: string): Header {
  const name = relative(root, path);
  const bytes = new Uint8Array(readFileSync(path));
  let deflatedAt: number | undefined;
  const inflater = (byteArray: Uint8Array, position: number) => {
    deflatedAt = position;
    const inflated = inflateRawSync(byteArray.subarray(position));
    const full = new Uint8Array(position + inflated.length);
    full.set(byteArray.subarray(0, position), 0);
    full.set(inflated, position);
    return full;
  };
  let dataSet: dicomParser.DataSet | undefined;
  let parseError: string | undefined;
  try {
    dataSet = dicomParser.parseDicom(bytes, { inflater });
  } catch (error) {
    parseError = errorText(error);
    // dicom-parser hands back what it read before the failure (truncated files keep their header).
    dataSet = (error as { dataSet?: dicomParser.DataSet } | undefined)?.dataSet;
  }
  const transferSyntaxUID = dataSet?.string('x00020010')?.trim();
  return {
    name,
    path,
    ...(parseError ? { parseError } : {}),
    ...(dataSet ? { dataSet } : {}),
    ...(deflatedAt !== undefined ? { deflatedAt } : {}),
    ...(transferSyntaxUID ? { transferSyntaxUID } : {}),
    isImage: dataSet?.elements.x7fe00010 !== undefined,
  };
}

/** A UID under 2.25 (PS3.5 B.2) exactly `length` characters long. */
function freshUid(length: number): string {
  let digits = String(1 + randomInt(9));
  while (digits.length < length - 5) digits += String(randomInt(10));
  return `2.25.${digits}`;
}

const UidTags = ['x0020000d', 'x0020000e', 'x00080018', 'x00020003'] as const;
/** VRs whose explicit header is 12 bytes (2 reserved, 4-byte length); the rest have 8. */
const LongHeaderVrs = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

type Encoding = 'implicit-le' | 'explicit-le' | 'explicit-be';
function encodingOf(transferSyntaxUID: string | undefined): Encoding {
  if (transferSyntaxUID === '1.2.840.10008.1.2') return 'implicit-le';
  return transferSyntaxUID === '1.2.840.10008.1.2.2' ? 'explicit-be' : 'explicit-le';
}

/** One LO element as the file's own encoding writes it. */
function loElement(tag: string, value: string, encoding: Encoding): Uint8Array {
  const text = value.length % 2 ? `${value} ` : value;
  const out = new Uint8Array(8 + text.length);
  const view = new DataView(out.buffer);
  const littleEndian = encoding !== 'explicit-be';
  view.setUint16(0, parseInt(tag.slice(1, 5), 16), littleEndian);
  view.setUint16(2, parseInt(tag.slice(5, 9), 16), littleEndian);
  if (encoding === 'implicit-le') view.setUint32(4, text.length, true);
  else {
    out.set([0x4c, 0x4f], 4); // "LO"
    view.setUint16(6, text.length, littleEndian);
  }
  out.set(new TextEncoder().encode(text), 8);
  return out;
}

/**
 * The file's bytes made into a study of its own: new Study/Series/SOP Instance UIDs (and the meta
 * header's copy of the SOP UID) written over the old values, each as long as the one it replaces;
 * and PatientID/IssuerOfPatientID set to `patientId`/PYD. The viewer opens a launched study through
 * its patient, and finds nothing for files with no PatientID or no IssuerOfPatientID (most foreign
 * files; reported to the lead), which is not what this suite measures. Every other byte, Pixel
 * Data included, is the vendor's.
 */
function asOwnStudy(header: Header, patientId: string): { bytes: Uint8Array; StudyInstanceUID: string } {
  const dataSet = header.dataSet!;
  let bytes = new Uint8Array(dataSet.byteArray);
  const replacements = new Map<string, string>();
  for (const tag of UidTags) {
    const element = dataSet.elements[tag];
    const old = dataSet.string(tag);
    if (!element || !old || old.length < 8) continue;
    const uid = replacements.get(old) ?? freshUid(old.length);
    replacements.set(old, uid);
    bytes.set(new TextEncoder().encode(uid), element.dataOffset);
  }
  const StudyInstanceUID = replacements.get(dataSet.string('x0020000d') ?? '');
  if (!StudyInstanceUID) throw new Error(`asOwnStudy: ${header.name} has no Study Instance UID to replace`);

  const encoding = encodingOf(header.transferSyntaxUID);
  const headerLength = (element: dicomParser.Element) => (encoding === 'implicit-le' || !LongHeaderVrs.has(element.vr ?? '') ? 8 : 12);
  // Only the data set proper: dicom-parser also lists the meta header (and, for the deflated
  // syntax, a few phantom elements it reads from the preamble).
  const metaEnd = Math.max(...Object.values(dataSet.elements).filter((e) => e.tag.startsWith('x0002')).map((e) => e.dataOffset + e.length));
  const topLevel = Object.values(dataSet.elements)
    .filter((element) => element.dataOffset > metaEnd)
    .sort((a, b) => a.dataOffset - b.dataOffset);
  const edits = (['x00100020', 'x00100021'] as const).map((tag) => {
    const value = loElement(tag, tag === 'x00100020' ? patientId : 'PYD', encoding);
    const existing = dataSet.elements[tag];
    if (existing) return { start: existing.dataOffset - headerLength(existing), end: existing.dataOffset + existing.length, value };
    // Elements stay in tag order: the new one goes before the first larger tag.
    const next = topLevel.find((element) => element.tag > tag);
    const at = next ? next.dataOffset - headerLength(next) : bytes.length;
    return { start: at, end: at, value };
  });
  // A (retired) group length for group 0010 must grow with it.
  const groupLength = dataSet.elements.x00100000;
  if (groupLength && groupLength.length === 4) {
    const view = new DataView(bytes.buffer, bytes.byteOffset + groupLength.dataOffset, 4);
    const grown = edits.reduce((sum, edit) => sum + edit.value.length - (edit.end - edit.start), 0);
    view.setUint32(0, view.getUint32(0, encoding !== 'explicit-be') + grown, encoding !== 'explicit-be');
  }
  // From the end of the file back, so earlier offsets still hold; at one offset, the larger tag first.
  for (const edit of edits.map((e, order) => ({ ...e, order })).sort((a, b) => b.start - a.start || b.order - a.order)) {
    const spliced = new Uint8Array(bytes.length - (edit.end - edit.start) + edit.value.length);
    spliced.set(bytes.subarray(0, edit.start), 0);
    spliced.set(edit.value, edit.start);
    spliced.set(bytes.subarray(edit.end), edit.start + edit.value.length);
    bytes = spliced;
  }
  if (header.deflatedAt === undefined) return { bytes, StudyInstanceUID };
  const at = header.deflatedAt;
  const deflated = deflateRawSync(bytes.subarray(at));
  const out = new Uint8Array(at + deflated.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(deflated, at);
  return { bytes: out, StudyInstanceUID };
}

type Outcome = { kind: 'rendered'; note?: string } | { kind: 'reason'; text: string } | { kind: 'blank'; detail: string };

interface Image {
  header: Header;
  StudyInstanceUID: string;
  outcome?: Outcome;
  /** Page errors while it was open (printed; a page crash fails the test). */
  pageErrors: string[];
}

const work = mkdtempSync(join(tmpdir(), 'cv-conformance-'));
const site = join(work, 'site');
let root: string;
let headers: Header[];
const images: Image[] = [];
let gateway: Gateway;
let gatewayLog: string[];
let browser: Browser;
let page: Page;
let pageErrors: string[] = [];
let crashed = false;

beforeAll(async () => {
  // The folder site reads these files with dcmjs, which warns about every odd VR: expected here.
  dcmjs.log.setLevel('silent');
  (dcmjs.log as unknown as { getLogger(name: string): { setLevel(level: string): void } }).getLogger('validation.dcmjs').setLevel('silent');
  root = pydicomTestFiles();
  headers = filesUnder(root).map((path) => readHeader(root, path));
  for (const header of headers) {
    const target = join(site, header.name);
    mkdirSync(dirname(target), { recursive: true });
    if (header.isImage && header.dataSet) {
      const copy = asOwnStudy(header, `PYD${images.length + 1}`);
      writeFileSync(target, copy.bytes);
      images.push({ header, StudyInstanceUID: copy.StudyInstanceUID, pageErrors: [] });
    } else {
      // Non-images and unreadable files go in as they are: the site must cope with them.
      writeFileSync(target, readFileSync(header.path));
    }
  }
  const parsed = parseConfig({ sites: [{ id: 'pydicom', name: 'pydicom test files', patientIdIssuer: 'PYD', folder: { path: site } }], identity: { nationalIdIssuer: 'NHS' }, auth: testAuthConfig() });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  gatewayLog = [];
  gateway = await startGateway({ config: parsed.config, port: 0, staticDir: resolve('dist'), log: (line) => gatewayLog.push(line) });
  browser = await launchChromium();
  page = await signedInPage(browser, gateway.url, { viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('crash', () => {
    crashed = true;
  });
}, 120_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
  await gateway?.close();
  rmSync(work, { recursive: true, force: true });
});

/**
 * Distinct colours and the widest channel range over the whole viewport canvas, from a real
 * screenshot taken with everything drawn over the canvas (corner text, markers, toolbar) hidden.
 */
async function screenSpread(): Promise<{ range: number; colours: number }> {
  const canvas = page.locator('[data-viewport-id="vp-1"] canvas').first();
  const box = await canvas.boundingBox();
  if (!box) return { range: 0, colours: 0 };
  await canvas.evaluate((target) => {
    for (const element of document.querySelectorAll<HTMLElement>('body *')) if (!element.contains(target)) element.style.visibility = 'hidden';
  });
  const png = PNG.sync.read(await page.screenshot({ clip: { x: Math.ceil(box.x), y: Math.ceil(box.y), width: Math.floor(box.width) - 1, height: Math.floor(box.height) - 1 } }));
  await canvas.evaluate(() => {
    for (const element of document.querySelectorAll<HTMLElement>('body *')) element.style.visibility = '';
  });
  const min = [255, 255, 255];
  const max = [0, 0, 0];
  const colours = new Set<number>();
  for (let i = 0; i < png.width * png.height; i++) {
    const rgb = [png.data[i * 4]!, png.data[i * 4 + 1]!, png.data[i * 4 + 2]!];
    rgb.forEach((v, c) => {
      min[c] = Math.min(min[c]!, v);
      max[c] = Math.max(max[c]!, v);
    });
    colours.add((rgb[0]! << 16) | (rgb[1]! << 8) | rgb[2]!);
  }
  return { range: Math.max(...max.map((m, c) => m - min[c]!)), colours: colours.size };
}

/**
 * Whether pydicom, applying the file's own modality and VOI transforms, also finds the whole
 * image one grey: then a uniform screen is the right rendering, not a blank canvas.
 */
function pydicomSaysUniform(path: string): boolean {
  const script = [
    'import sys, pydicom',
    'from pydicom.pixel_data_handlers.util import apply_modality_lut, apply_voi_lut',
    'ds = pydicom.dcmread(sys.argv[1])',
    'a = ds.pixel_array',
    'a = a[0] if int(getattr(ds, "NumberOfFrames", 1) or 1) > 1 else a',
    'mono = str(ds.PhotometricInterpretation).startswith("MONOCHROME")',
    'shown = apply_voi_lut(apply_modality_lut(a, ds), ds) if "WindowCenter" in ds else None',
    'print("uniform" if mono and shown is not None and shown.max() == shown.min() else "varied")',
  ].join('\n');
  try {
    return execFileSync('/usr/bin/python3', ['-c', script, path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() === 'uniform';
  } catch {
    return false;
  }
}

const viewportAlert = '[data-viewport-id="vp-1"] [role="alert"], .launch-error[role="alert"]';

/** Opens one image's study and waits for one of the two honest outcomes (or times out blank). */
async function openImage(image: Image): Promise<Outcome> {
  pageErrors = [];
  await page.goto(`${gateway.url}/IHEInvokeImageDisplay?requestType=STUDY&studyUID=${image.StudyInstanceUID}`);
  const ready = page.locator('[data-viewport-id="vp-1"][data-ready="true"]');
  const alert = page.locator(viewportAlert);
  // The launch opens the study's default series, and none when its modality is not an image
  // modality (SEG, RTDOSE) or is missing: then the reader picks the series in the timeline.
  const autoOpens = isImageSeries({ Modality: image.header.dataSet?.string('x00080060')?.trim() ?? '' });
  const note = autoOpens ? '' : 'opened from the timeline';
  try {
    if (!autoOpens) await page.locator(`[data-timeline-study="${image.StudyInstanceUID}"] [data-series-uid] button`).first().or(alert).first().click({ timeout: 12_000 });
    await ready.or(alert).first().waitFor({ timeout: 12_000 });
  } catch {
    const shown = await page.locator('[data-viewport-id="vp-1"]').innerText({ timeout: 500 }).catch(() => '(no viewport)');
    return { kind: 'blank', detail: `neither ready nor a message within 12 s; viewport says: ${shown.replace(/\s+/g, ' ').slice(0, 200)}` };
  }
  if (await ready.count()) {
    // Ready means an image was put on screen; it must show real, varied pixels.
    let spread = await screenSpread();
    for (let tries = 0; tries < 5 && (spread.range < 8 || spread.colours < 2); tries++) {
      await page.waitForTimeout(200);
      spread = await screenSpread();
    }
    const alerts = (await alert.allInnerTexts()).join(' / ');
    const notes = [note, alerts].filter(Boolean).join('; ');
    if (spread.range >= 8 && spread.colours >= 2) return { kind: 'rendered', ...(notes ? { note: notes } : {}) };
    if (pydicomSaysUniform(image.header.path)) return { kind: 'rendered', note: ['one grey under its own window, as pydicom finds too', notes].filter(Boolean).join('; ') };
    if (alerts) return { kind: 'reason', text: alerts };
    return { kind: 'blank', detail: `ready, but the canvas is one colour (${spread.colours} colours, range ${spread.range}) and says nothing` };
  }
  const text = (await alert.allInnerTexts()).join(' / ').trim();
  return text ? { kind: 'reason', text } : { kind: 'blank', detail: 'an empty alert' };
}

function syntaxLabel(uid: string | undefined): string {
  if (!uid) return '(none)';
  return transferSyntaxName(uid) ?? uid;
}

function describeOutcome(outcome: Outcome | undefined): string {
  if (!outcome) return 'not opened';
  if (outcome.kind === 'rendered') return `rendered${outcome.note ? ` (also says: ${outcome.note})` : ''}`;
  if (outcome.kind === 'reason') return `says: ${outcome.text}`;
  return `BLANK: ${outcome.detail}`;
}

/** Pixel rows/columns of MR_small (64×64) whose values are compared. */
const MrPoints: [number, number][] = [
  [8, 8],
  [20, 40],
  [32, 32],
  [45, 18],
  [56, 50],
];
const mrValues = new Map<string, (number | undefined)[]>();

/** Patient-space centre of pixel (row, column) of a single-frame image. */
function worldOf(dataSet: dicomParser.DataSet, row: number, column: number): [number, number, number] {
  const position = [0, 1, 2].map((i) => dataSet.floatString('x00200032', i)!);
  const orientation = [0, 1, 2, 3, 4, 5].map((i) => dataSet.floatString('x00200037', i)!);
  const rowSpacing = dataSet.floatString('x00280030', 0)!;
  const columnSpacing = dataSet.floatString('x00280030', 1)!;
  return [0, 1, 2].map((i) => position[i]! + orientation[i]! * columnSpacing * column + orientation[i + 3]! * rowSpacing * row) as [number, number, number];
}

/** pydicom's own decoding of MR_small.dcm (modality LUT applied) at the compared points. */
function pydicomMrValues(): number[] {
  const script = [
    'import json, sys, pydicom',
    'from pydicom.pixel_data_handlers.util import apply_modality_lut',
    'ds = pydicom.dcmread(sys.argv[1])',
    'arr = apply_modality_lut(ds.pixel_array, ds)',
    'print(json.dumps([float(arr[r, c]) for r, c in json.loads(sys.argv[2])]))',
  ].join('\n');
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, join(root, 'MR_small.dcm'), JSON.stringify(MrPoints)], { encoding: 'utf8' })) as number[];
}

/**
 * KNOWN DEFECTS, reported to the lead (not ours to fix here): images that still come out blank
 * with no message. They are printed as such and allowed; any other image that does so fails.
 * Delete an entry once it renders or explains itself.
 */
const KnownSilentFailures: Readonly<Record<string, string>> = {
  'JPEG2000-embedded-sequence-delimiter.dcm': 'corrupted J2K code stream (on purpose): decodes to black, no error',
};

/**
 * Images the folder site refuses at indexing though dicom-parser reads them (reported to the
 * lead: dcmjs hands `cleanElement` a huge buffer for their UN-encoded ReferencedRTPlanSequence).
 */
const KnownSiteSkips: readonly string[] = ['rtdose_rle.dcm', 'rtdose_rle_1frame.dcm'];

describe("conformance: pydicom's test files through the folder site", () => {
  it('every image renders or its viewport says why; never a blank canvas or a crashed page (outcome table printed)', async () => {
    expect(images.length, 'pydicom ships images (PixelData found by reading headers)').toBeGreaterThan(30);
    for (const image of images) {
      image.outcome = await openImage(image);
      image.pageErrors = [...pageErrors];
      if (/^MR_small/.test(image.header.name) && image.outcome.kind === 'rendered') {
        const dataSet = image.header.dataSet!;
        mrValues.set(
          image.header.name,
          await Promise.all(MrPoints.map(([row, column]) => page.evaluate((p) => window.crossview?.pixelValue('vp-1', p), worldOf(dataSet, row, column)))),
        );
      }
      if (crashed) break;
    }

    const width = Math.max(...headers.map((h) => h.name.length));
    const lines = images.map((image) => {
      const known = KnownSilentFailures[image.header.name];
      const flag = known && image.outcome?.kind === 'blank' ? `  [KNOWN DEFECT: ${known}]` : '';
      return `${image.header.name.padEnd(width)}  ${syntaxLabel(image.header.transferSyntaxUID).padEnd(28)}  ${describeOutcome(image.outcome)}${flag}`;
    });
    const others = headers
      .filter((h) => !h.isImage)
      .map((h) => `${h.name.padEnd(width)}  ${syntaxLabel(h.transferSyntaxUID).padEnd(28)}  not an image (${h.parseError ? `unreadable: ${h.parseError}` : 'no Pixel Data'})`);
    const rendered = images.filter((i) => i.outcome?.kind === 'rendered').length;
    console.log(
      [
        `pydicom conformance: ${images.length} images — ${rendered} rendered, ${images.filter((i) => i.outcome?.kind === 'reason').length} with a reason, ${images.filter((i) => i.outcome?.kind === 'blank').length} blank`,
        ...lines,
        `${others.length} other files in the site (must not spoil it):`,
        ...others,
        ...images.filter((i) => i.pageErrors.length).map((i) => `page errors with ${i.header.name}: ${i.pageErrors.join(' | ')}`),
        ...gatewayLog.map((line) => `gateway: ${line}`),
      ].join('\n'),
    );

    expect(crashed, 'the page never crashed').toBe(false);
    const silent = images.filter((i) => i.outcome?.kind !== 'rendered' && i.outcome?.kind !== 'reason');
    expect(silent.filter((i) => !(i.header.name in KnownSilentFailures)).map((i) => `${i.header.name}: ${describeOutcome(i.outcome)}`)).toEqual([]);
    // The known list stays true: an entry that now renders or explains itself must be deleted.
    expect(Object.keys(KnownSilentFailures).filter((name) => !silent.some((i) => i.header.name === name))).toEqual([]);
    // Most of these are ordinary images any viewer shows: a sweep of "reasons" would be no pass.
    expect(rendered, 'most images render').toBeGreaterThan(images.length / 2);
  }, 400_000);

  it('the MR_small encodings decode to the values pydicom reads, identical across every lossless syntax', () => {
    const reference = pydicomMrValues();
    expect(reference.length).toBe(MrPoints.length);
    expect(new Set(reference).size, 'the points are not all one value').toBeGreaterThan(2);
    const lossless = images.filter((i) => /^MR_small/.test(i.header.name));
    expect(lossless.length, 'MR_small in 8 encodings').toBe(8);
    for (const image of lossless) {
      expect(mrValues.get(image.header.name), `${image.header.name} (${syntaxLabel(image.header.transferSyntaxUID)}) rendered and matches pydicom`).toEqual(reference);
    }
  });

  it("a site holding pydicom's malformed and non-image files still indexes every image dicom-parser reads (two known exceptions)", async () => {
    const folder = await createFolderSite(site);
    const skippedImages = folder.skipped.filter((s) => images.some((i) => join(site, i.header.name) === s.file && !i.header.parseError));
    expect(skippedImages.filter((s) => !KnownSiteSkips.includes(relative(site, s.file)))).toEqual([]);
    expect(folder.studyCount).toBeGreaterThanOrEqual(images.filter((i) => !i.header.parseError).length);
  });
});

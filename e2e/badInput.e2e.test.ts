/**
 * Bad input served from a site: malformed DICOM files, made at test time from one good demo CT
 * slice (dcmjs for the data set, then byte surgery; nothing binary is committed), are put in a
 * folder site and each is opened in Chromium. Every file must either render, or say why in the
 * viewport, or be refused by the site at indexing, and then the gateway must say so to its admin
 * (a log line with a count, never a name or patient data). No page error, no crash; the gateway
 * stays up; a count table is printed.
 *
 * The same files opened in the browser as local files (a CD, no upload) must each be listed as
 * unreadable with a reason, or open and say why in the viewport; the control renders.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import dcmjs from 'dcmjs';
import dicomParser from 'dicom-parser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/contracts/index';
import { ensureDemoData } from '../src/demo/index';
import { createFolderSite, startGateway, type Gateway } from '../src/server/index';
import { launchChromium } from './support/browser';
import { testAuthConfig } from './hospitals/testAccounts';
import { signedInPage } from './support/signIn';

/** A DICOM Part 10 file as dcmjs reads it: the meta header and the data set, tag-keyed. */
interface DicomDict {
  meta: Record<string, { vr: string; Value?: unknown[] }>;
  dict: Record<string, { vr: string; Value?: unknown[] }>;
  write(): ArrayBuffer;
}

interface BadFile {
  name: string;
  /** What is wrong with it, for the table. */
  fault: string;
  bytes: Uint8Array;
  StudyInstanceUID: string;
}

type Outcome = { kind: 'rendered' } | { kind: 'error shown'; text: string } | { kind: 'refused by the site'; reason: string } | { kind: 'blank'; detail: string };

function freshUid(): string {
  let digits = String(1 + randomInt(9));
  while (digits.length < 38) digits += String(randomInt(10));
  return `2.25.${digits}`;
}

/** Where one element's value lies, as dicom-parser reads the bytes. */
function elementOf(bytes: Uint8Array, tag: string): dicomParser.Element {
  const element = dicomParser.parseDicom(bytes).elements[tag];
  if (!element) throw new Error(`elementOf: no ${tag}`);
  return element;
}

/** Explicit VR little endian: 4-byte lengths for these VRs (12-byte header), 2-byte for the rest. */
const LongLengthVrs = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

/** A copy with the length field of `tag` set to `length` (nothing else moves). */
function withDeclaredLength(bytes: Uint8Array, tag: string, length: number): Uint8Array {
  const element = elementOf(bytes, tag);
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  if (LongLengthVrs.has(element.vr ?? '')) view.setUint32(element.dataOffset - 4, length, true);
  else view.setUint16(element.dataOffset - 2, length, true);
  return out;
}

/** A copy whose meta header names `uid` as the transfer syntax; the data set's bytes are unchanged. */
function withMetaSyntax(bytes: Uint8Array, uid: string): Uint8Array {
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

/**
 * The good slice as its own study (fresh Study/Series/SOP Instance UIDs, its own patient ID),
 * written by dcmjs after `edit`; then `spoil` does the byte surgery.
 */
function badFile(good: ArrayBuffer, name: string, fault: string, spoil: (bytes: Uint8Array) => Uint8Array, edit?: (file: DicomDict) => void): BadFile {
  const file = dcmjs.data.DicomMessage.readFile(good) as unknown as DicomDict;
  const StudyInstanceUID = freshUid();
  const SOPInstanceUID = freshUid();
  file.dict['0020000D'] = { vr: 'UI', Value: [StudyInstanceUID] };
  file.dict['0020000E'] = { vr: 'UI', Value: [freshUid()] };
  file.dict['00080018'] = { vr: 'UI', Value: [SOPInstanceUID] };
  file.meta['00020003'] = { vr: 'UI', Value: [SOPInstanceUID] };
  file.dict['00100020'] = { vr: 'LO', Value: [`BAD-${name}`] };
  edit?.(file);
  return { name, fault, bytes: spoil(new Uint8Array(file.write())), StudyInstanceUID };
}

const JpegBaseline = '1.2.840.10008.1.2.4.50';
const ImplicitLittleEndian = '1.2.840.10008.1.2';

function makeCorpus(good: ArrayBuffer): BadFile[] {
  const same = (bytes: Uint8Array) => bytes;
  const pixel = (bytes: Uint8Array) => elementOf(bytes, 'x7fe00010');
  return [
    badFile(good, 'good', 'none (the control: must render)', same),
    badFile(good, 'truncated-pixel-data', 'file ends halfway through Pixel Data', (b) => b.subarray(0, pixel(b).dataOffset + pixel(b).length / 2)),
    badFile(good, 'truncated-header', 'file ends inside the Image Pixel module (at Rows)', (b) => b.subarray(0, elementOf(b, 'x00280010').dataOffset - 4)),
    badFile(good, 'length-past-end', 'Pixel Data declares 4 KiB more than the file holds', (b) => withDeclaredLength(b, 'x7fe00010', pixel(b).length + 4096)),
    badFile(good, 'odd-length', 'Study Description declares one byte more (odd length): the rest is misread', (b) => withDeclaredLength(b, 'x00081030', elementOf(b, 'x00081030').length + 1)),
    badFile(good, 'huge-length', 'a Text Value (UT) declares 0x7FFFFFF0 bytes', (b) => withDeclaredLength(b, 'x0040a160', 0x7ffffff0), (file) => {
      file.dict['0040A160'] = { vr: 'UT', Value: ['bad input'] };
    }),
    badFile(good, 'no-pixel-data', 'an image with no Pixel Data', same, (file) => {
      delete file.dict['7FE00010'];
    }),
    badFile(good, 'unknown-syntax', 'meta header names an unknown transfer syntax (1.2.3.4.5.6.7)', (b) => withMetaSyntax(b, '1.2.3.4.5.6.7')),
    badFile(good, 'jpeg-over-native', 'meta header says JPEG Baseline; Pixel Data is native', (b) => withMetaSyntax(b, JpegBaseline)),
    badFile(good, 'implicit-over-explicit', 'meta header says Implicit VR; the data set is explicit', (b) => withMetaSyntax(b, ImplicitLittleEndian)),
  ];
}

const work = mkdtempSync(join(tmpdir(), 'cv-bad-input-'));
const siteDir = join(work, 'site');
const SiteName = 'Bad input hospital';
let corpus: BadFile[];
let refused: Map<string, string>;
let gateway: Gateway;
const gatewayLog: string[] = [];
let browser: Browser;
let page: Page;
let pageErrors: string[] = [];
let crashed = false;
/** The good slice's stored value at its centre, modality LUT applied, and where that lies. */
let centre: { world: [number, number, number]; value: number };

beforeAll(async () => {
  // The folder site reads these files with dcmjs, which warns about what is wrong with them: expected here.
  dcmjs.log.setLevel('silent');
  const demo = await ensureDemoData();
  const goodBytes = readFileSync(join(demo.dir, 'site-a', 'ct-current-ct-0060.dcm'));
  const good = goodBytes.buffer.slice(goodBytes.byteOffset, goodBytes.byteOffset + goodBytes.length);
  corpus = makeCorpus(good);
  mkdirSync(siteDir, { recursive: true });
  for (const file of corpus) writeFileSync(join(siteDir, `${file.name}.dcm`), file.bytes);

  const control = dicomParser.parseDicom(corpus[0]!.bytes);
  const rows = control.uint16('x00280010')!;
  const columns = control.uint16('x00280011')!;
  const [row, column] = [Math.floor(rows / 2), Math.floor(columns / 2)];
  const position = [0, 1, 2].map((i) => control.floatString('x00200032', i)!);
  const orientation = [0, 1, 2, 3, 4, 5].map((i) => control.floatString('x00200037', i)!);
  const [rowSpacing, columnSpacing] = [control.floatString('x00280030', 0)!, control.floatString('x00280030', 1)!];
  const signed = control.uint16('x00280103') === 1;
  const stored = (signed ? control.int16('x7fe00010', row * columns + column) : control.uint16('x7fe00010', row * columns + column))!;
  centre = {
    world: [0, 1, 2].map((i) => position[i]! + orientation[i]! * columnSpacing * column + orientation[i + 3]! * rowSpacing * row) as [number, number, number],
    value: stored * (control.floatString('x00281053') ?? 1) + (control.floatString('x00281052') ?? 0),
  };

  const issuer = control.string('x00100021') ?? 'BAD';
  const parsed = parseConfig({ sites: [{ id: 'bad-input', name: SiteName, patientIdIssuer: issuer, folder: { path: siteDir } }], identity: { nationalIdIssuer: 'NHS' }, auth: testAuthConfig() });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  gateway = await startGateway({ config: parsed.config, port: 0, staticDir: resolve('dist'), log: (line) => gatewayLog.push(line) });
  // What the site refused, by file, asked of the folder site itself (the gateway logs only a count).
  refused = new Map((await createFolderSite(siteDir)).skipped.map((s) => [s.file, s.reason]));
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

const viewportAlert = '[data-viewport-id="vp-1"] [role="alert"], .launch-error[role="alert"]';

/** Opens one file's study by its EHR launch link and waits for an image or a message. */
async function openFile(file: BadFile): Promise<Outcome> {
  const reason = refused.get(join(siteDir, `${file.name}.dcm`));
  if (reason !== undefined) return { kind: 'refused by the site', reason };
  await page.goto(`${gateway.url}/IHEInvokeImageDisplay?requestType=STUDY&studyUID=${file.StudyInstanceUID}`);
  const ready = page.locator('[data-viewport-id="vp-1"][data-ready="true"]');
  const alert = page.locator(viewportAlert);
  try {
    await ready.or(alert).first().waitFor({ timeout: 15_000 });
  } catch {
    const shown = await page.locator('[data-viewport-id="vp-1"]').innerText({ timeout: 500 }).catch(() => '(no viewport)');
    return { kind: 'blank', detail: `neither an image nor a message within 15 s; the pane says: ${shown.replace(/\s+/g, ' ').slice(0, 200)}` };
  }
  // A message can follow a first image (a later slice) and an image can clear one: let it settle.
  await page.waitForTimeout(500);
  const text = (await alert.allInnerTexts()).join(' / ').trim();
  if (text) return { kind: 'error shown', text };
  if (await ready.count()) {
    const value = await page.evaluate((point) => window.crossview?.pixelValue('vp-1', point), centre.world);
    return value === centre.value ? { kind: 'rendered' } : { kind: 'blank', detail: `ready, but the centre pixel reads ${value} where the file stores ${centre.value}, and nothing is said` };
  }
  return { kind: 'blank', detail: 'an empty message' };
}

describe('bad input served from a folder site', () => {
  it('every malformed file renders, says why in its viewport, or is refused by the site with a count in the gateway log; no page error, the gateway stays up (count table printed)', async () => {
    const outcomes = new Map<string, Outcome>();
    const errorsByFile = new Map<string, string[]>();
    for (const file of corpus) {
      pageErrors = [];
      outcomes.set(file.name, await openFile(file));
      if (pageErrors.length) errorsByFile.set(file.name, pageErrors);
      if (crashed) break;
    }
    const count = (kind: Outcome['kind']) => [...outcomes.values()].filter((o) => o.kind === kind).length;
    const width = Math.max(...corpus.map((f) => f.name.length));
    console.log(
      [
        `bad input: ${corpus.length} files — ${count('rendered')} render, ${count('error shown')} error shown, ${count('refused by the site')} refused by the site, ${count('blank')} blank`,
        ...corpus.map((file) => {
          const outcome = outcomes.get(file.name);
          const said = !outcome ? 'not opened' : outcome.kind === 'error shown' ? `error shown: ${outcome.text}` : outcome.kind === 'refused by the site' ? `refused by the site: ${outcome.reason}` : outcome.kind === 'blank' ? `BLANK: ${outcome.detail}` : 'renders';
          return `  ${file.name.padEnd(width)}  ${said}   [${file.fault}]`;
        }),
        ...[...errorsByFile].map(([name, errors]) => `page errors with ${name}: ${errors.join(' | ')}`),
        ...gatewayLog.map((line) => `gateway: ${line}`),
      ].join('\n'),
    );

    expect(crashed, 'the page never crashed').toBe(false);
    expect([...errorsByFile].map(([name, errors]) => `${name}: ${errors.join(' | ')}`)).toEqual([]);
    expect(outcomes.get('good'), 'the control renders its stored value').toEqual({ kind: 'rendered' });
    expect([...outcomes].filter(([, o]) => o.kind === 'blank').map(([name, o]) => `${name}: ${JSON.stringify(o)}`)).toEqual([]);
    // Only the control may pass as an image: each of the others has something a reader must be told.
    expect([...outcomes].filter(([name, o]) => name !== 'good' && o.kind === 'rendered').map(([name]) => name)).toEqual([]);
    // What the reader is told says what is wrong, never a bare status or code.
    const said = (name: string) => (outcomes.get(name)?.kind === 'error shown' ? (outcomes.get(name) as { text: string }).text : JSON.stringify(outcomes.get(name)));
    expect(said('no-pixel-data')).toBe('The image could not be loaded: the instance has no Pixel Data: there is no image in it');
    expect(said('unknown-syntax')).toBe("This image's encoding (1.2.3.4.5.6.7) is not supported");
    expect(said('jpeg-over-native')).toBe('The image could not be decoded: the site sent data that is not in the encoding it declared');
    for (const [name, outcome] of outcomes) {
      if (outcome.kind === 'error shown') expect(outcome.text, name).not.toMatch(/HTTP \d+|: \d+$|object Object/);
      // The site's reason for refusing a file is dicom-parser's own words.
      if (outcome.kind === 'refused by the site') expect(outcome.reason, name).not.toContain('[object Object]');
    }

    // A refused file is reported to the admin: a count in the gateway's log, with no name or patient data.
    const refusedCount = count('refused by the site');
    if (refusedCount > 0) expect(gatewayLog).toContain(`gateway: bad-input: skipped ${refusedCount} file(s) that are not usable DICOM`);
    else expect(gatewayLog.some((line) => line.includes('skipped'))).toBe(false);
    for (const line of gatewayLog) expect(line).not.toMatch(/BAD-|2\.25\.\d{20}|\.dcm/);

    // The gateway is still up, and the good file still opens after all the others.
    expect((await page.context().request.get(`${gateway.url}/api/sites`)).status()).toBe(200);
    expect(await openFile(corpus[0]!)).toEqual({ kind: 'rendered' });
  }, 300_000);

  it('the same files opened as local files: each bad one is listed with its reason or says why in its viewport, the control renders; no page error (count table printed)', async () => {
    pageErrors = [];
    await page.goto(`${gateway.url}/`);
    await page.locator('input[data-local-files-input="files"]').setInputFiles(corpus.map((file) => join(siteDir, `${file.name}.dcm`)));
    await page.locator('[data-local-files="ready"]').waitFor({ timeout: 30_000 });
    const outcomes = new Map<string, Outcome | { kind: 'listed'; reason: string }>();
    for (const file of corpus) {
      const listed = page.locator(`[data-local-file-error="${file.name}.dcm"]`);
      if (await listed.count()) {
        const text = await listed.innerText();
        outcomes.set(file.name, { kind: 'listed', reason: text.slice(text.indexOf(': ') + 2) });
        continue;
      }
      const row = page.locator(`[data-timeline-study="${file.StudyInstanceUID}"][data-site-id="local"] button.study`);
      if (!(await row.count())) {
        outcomes.set(file.name, { kind: 'blank', detail: 'neither listed as unreadable nor shown as a study' });
        continue;
      }
      await row.click();
      const ready = page.locator(`[data-viewport-id="vp-1"][data-ready="true"][data-study-uid="${file.StudyInstanceUID}"]`);
      const alert = page.locator(viewportAlert);
      try {
        await ready.or(alert).first().waitFor({ timeout: 15_000 });
      } catch {
        outcomes.set(file.name, { kind: 'blank', detail: 'opened, but neither an image nor a message within 15 s' });
        continue;
      }
      await page.waitForTimeout(500);
      const text = (await alert.allInnerTexts()).join(' / ').trim();
      if (text) outcomes.set(file.name, { kind: 'error shown', text });
      else {
        const value = await page.evaluate((point) => window.crossview?.pixelValue('vp-1', point), centre.world);
        outcomes.set(file.name, value === centre.value ? { kind: 'rendered' } : { kind: 'blank', detail: `centre reads ${value}, the file stores ${centre.value}` });
      }
    }
    const width = Math.max(...corpus.map((f) => f.name.length));
    const kinds = [...outcomes.values()].map((o) => o.kind);
    console.log(
      [
        `bad input as local files: ${corpus.length} files — ${kinds.filter((k) => k === 'listed').length} listed unreadable, ${kinds.filter((k) => k === 'rendered').length} render, ${kinds.filter((k) => k === 'error shown').length} error shown, ${kinds.filter((k) => k === 'blank').length} blank`,
        ...corpus.map((file) => {
          const o = outcomes.get(file.name)!;
          const said = o.kind === 'listed' ? `listed: ${o.reason}` : o.kind === 'error shown' ? `error shown: ${o.text}` : o.kind === 'blank' ? `BLANK: ${o.detail}` : o.kind;
          return `  ${file.name.padEnd(width)}  ${said}   [${file.fault}]`;
        }),
      ].join('\n'),
    );
    expect(crashed, 'the page never crashed').toBe(false);
    expect(pageErrors).toEqual([]);
    expect(outcomes.get('good')).toEqual({ kind: 'rendered' });
    expect([...outcomes].filter(([, o]) => o.kind === 'blank').map(([name, o]) => `${name}: ${JSON.stringify(o)}`)).toEqual([]);
    expect([...outcomes].filter(([name, o]) => name !== 'good' && o.kind === 'rendered').map(([name]) => name)).toEqual([]);
    for (const [name, o] of outcomes) {
      if (o.kind === 'listed') expect(o.reason.length, name).toBeGreaterThan(10);
      if (o.kind === 'listed' || o.kind === 'error shown') expect(o.kind === 'listed' ? o.reason : o.text, name).not.toMatch(/undefined|object Object|^Error$/);
    }
  }, 300_000);
});

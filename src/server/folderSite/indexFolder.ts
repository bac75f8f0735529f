/**
 * Indexing a folder of Part-10 files once at start. Each file is read, its attributes kept as
 * DICOM JSON with bulk values taken out, and the byte positions of its bulk data and frames
 * remembered; the file's bytes are then dropped, so a large study costs only its headers.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import dcmjs from 'dcmjs';
import dicomParser from 'dicom-parser';
import { firstNumber, firstString, Tags, type DicomJsonDataset, type DicomJsonElement } from './dicomJson';
import { encapsulatedFrameRanges, nativeFrameRanges, startsCompressedImage, type ByteRange } from './pixelData';
import { DeflatedExplicitVRLittleEndian, isNativeSyntax } from './transferSyntax';

/** Binary values larger than this are served as bulk data; smaller ones inline (base64). */
const INLINE_BINARY_LIMIT = 1024;
const BINARY_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'UN']);
/** Always bulk, whatever their size (PS3.18 F.2.7 lists these as the usual bulk data). */
const ALWAYS_BULK = new Set([Tags.PixelData, '00420011', '54001010', '7FE00008', '7FE00009']);

export interface InstanceRecord {
  path: string;
  StudyInstanceUID: string;
  SeriesInstanceUID: string;
  SOPInstanceUID: string;
  transferSyntaxUID: string;
  /** Attributes; bulk elements hold `{vr}` only (the URI is added when serving). */
  dataset: DicomJsonDataset;
  /** Top-level bulk elements: tag → where the value lies. */
  bulk: Map<string, ByteRange & { vr: string }>;
  /** Frame n (0-based) is the concatenation of these ranges. */
  frames: ByteRange[][] | undefined;
  /** Offsets refer to the inflated bytes (deflated syntax); read via `readInstanceBytes`. */
  deflated: boolean;
}

export interface FolderIndexResult {
  instances: InstanceRecord[];
  /** Files that were not DICOM Part-10 or failed to parse (names only: no patient data). */
  skipped: { file: string; reason: string }[];
}

/** For the deflated syntax: everything after the meta header is raw-deflated (PS3.5 A.5). */
function inflater(byteArray: Uint8Array, position: number): Uint8Array {
  const inflated = inflateRawSync(byteArray.subarray(position));
  const full = new Uint8Array(position + inflated.length);
  full.set(byteArray.subarray(0, position), 0);
  full.set(inflated, position);
  return full;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) return listFiles(full);
      return Promise.resolve(entry.isFile() && !entry.name.endsWith('.json') ? [full] : []);
    }),
  );
  return nested.flat().sort();
}

export async function indexFolder(dir: string): Promise<FolderIndexResult> {
  const instances: InstanceRecord[] = [];
  const skipped: FolderIndexResult['skipped'] = [];
  for (const file of await listFiles(dir)) {
    try {
      const buffer = await readFile(file);
      const record = indexInstance(file, buffer);
      if (typeof record === 'string') skipped.push({ file, reason: record });
      else instances.push(record);
    } catch (error) {
      skipped.push({ file, reason: parseFailureReason(error) });
    }
  }
  return { instances, skipped };
}

/** dicom-parser throws `{ exception, dataSet }` for a file it cannot read to the end. */
export function parseFailureReason(error: unknown): string {
  if (error instanceof Error) return error.message;
  const exception = error && typeof error === 'object' ? (error as { exception?: unknown }).exception : undefined;
  return typeof exception === 'string' ? exception : String(error);
}

/** Parses one file's bytes; a string is the reason it is not usable. */
export function indexInstance(path: string, buffer: Buffer): InstanceRecord | string {
  if (buffer.length < 132 || buffer.toString('latin1', 128, 132) !== 'DICM') return 'not a DICOM Part-10 file';
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
  const parsed = dicomParser.parseDicom(bytes, { inflater });
  const transferSyntaxUID = parsed.string('x00020010')?.trim() ?? '';
  const deflated = transferSyntaxUID === DeflatedExplicitVRLittleEndian;

  const arrayBuffer = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.length) as ArrayBuffer;
  const dicomDict = dcmjs.data.DicomMessage.readFile(arrayBuffer, { untilTag: Tags.PixelData, ignoreErrors: true });
  const dataset: DicomJsonDataset = {};
  const bulk = new Map<string, ByteRange & { vr: string }>();
  for (const [tag, element] of Object.entries(dicomDict.dict)) {
    const upper = tag.toUpperCase();
    // With untilTag, dcmjs leaves a stub for PixelData (its offset); dicom-parser's element is used below.
    if (upper === Tags.PixelData) continue;
    const location = parsed.elements[`x${tag.toLowerCase()}`];
    const binary = BINARY_VRS.has(element.vr) && element.Value?.[0] instanceof ArrayBuffer;
    if (binary && location && (ALWAYS_BULK.has(upper) || location.length > INLINE_BINARY_LIMIT)) {
      bulk.set(upper, { offset: location.dataOffset, length: location.length, vr: element.vr });
      dataset[upper] = { vr: element.vr };
    } else {
      dataset[upper] = cleanElement(element);
    }
  }
  const pixel = parsed.elements.x7fe00010;
  let frames: ByteRange[][] | undefined;
  if (pixel) {
    const vr = pixel.vr ?? (pixel.encapsulatedPixelData ? 'OB' : (firstNumber(dataset, Tags.BitsAllocated) ?? 16) > 8 ? 'OW' : 'OB');
    bulk.set(Tags.PixelData, { offset: pixel.dataOffset, length: pixel.length, vr });
    dataset[Tags.PixelData] = { vr };
    frames = frameRanges(dataset, transferSyntaxUID, pixel, parsed.byteArray);
  }
  dataset[Tags.TransferSyntaxUID] = { vr: 'UI', Value: [transferSyntaxUID] };
  // dcmjs decodes text to UTF-8 and relabels the set as ISO_IR 192; report what the file says.
  const characterSet = parsed.string('x00080005');
  if (characterSet !== undefined) dataset[Tags.SpecificCharacterSet] = { vr: 'CS', Value: characterSet.split('\\').map((v) => v.trim()) };

  const StudyInstanceUID = firstString(dataset, Tags.StudyInstanceUID);
  const SeriesInstanceUID = firstString(dataset, Tags.SeriesInstanceUID);
  const SOPInstanceUID = firstString(dataset, Tags.SOPInstanceUID);
  if (!StudyInstanceUID || !SeriesInstanceUID || !SOPInstanceUID) return 'missing Study/Series/SOP Instance UID';
  return { path, StudyInstanceUID, SeriesInstanceUID, SOPInstanceUID, transferSyntaxUID, dataset, bulk, frames, deflated };
}

function frameRanges(dataset: DicomJsonDataset, transferSyntaxUID: string, pixel: dicomParser.Element, byteArray: Uint8Array): ByteRange[][] | undefined {
  const numberOfFrames = firstNumber(dataset, Tags.NumberOfFrames) ?? 1;
  if (isNativeSyntax(transferSyntaxUID) && !pixel.encapsulatedPixelData) {
    const ranges = nativeFrameRanges(
      { offset: pixel.dataOffset, length: pixel.length },
      {
        rows: firstNumber(dataset, Tags.Rows) ?? 0,
        columns: firstNumber(dataset, Tags.Columns) ?? 0,
        samplesPerPixel: firstNumber(dataset, Tags.SamplesPerPixel) ?? 1,
        bitsAllocated: firstNumber(dataset, Tags.BitsAllocated) ?? 16,
        numberOfFrames,
      },
    );
    return ranges?.map((range) => [range]);
  }
  // Pixel Data of defined length under a syntax that is not native (unknown, or a compressed one
  // that should have been encapsulated): the one frame is sent as stored, labelled with the file's
  // syntax, so the viewer says it cannot decode it rather than the site answering 404.
  if (!pixel.encapsulatedPixelData) return numberOfFrames === 1 && pixel.length > 0 ? [[{ offset: pixel.dataOffset, length: pixel.length }]] : undefined;
  const fragments = (pixel.fragments ?? []).map((f) => ({ itemOffset: f.offset, position: f.position, length: f.length }));
  return encapsulatedFrameRanges(fragments, pixel.basicOffsetTable ?? [], numberOfFrames, (f) =>
    startsCompressedImage(byteArray.subarray(f.position, f.position + 12)),
  );
}

/** Empty values have no `Value` in DICOM JSON; small binaries are inlined as base64. */
function cleanElement(element: { vr: string; Value?: unknown[] }): DicomJsonElement {
  const { vr } = element;
  const values = Array.isArray(element.Value) ? element.Value : [];
  const isEmpty = (v: unknown) => v === '' || v === null || v === undefined || (vr === 'PN' && typeof v === 'object' && !Object.values(v as object).some(Boolean));
  if (values.every(isEmpty)) return { vr };
  if (values[0] instanceof ArrayBuffer) return { vr, InlineBinary: Buffer.from(values[0]).toString('base64') };
  if (vr === 'SQ') {
    return {
      vr,
      Value: values.map((item) => {
        const out: DicomJsonDataset = {};
        for (const [tag, child] of Object.entries(item as Record<string, { vr: string; Value?: unknown[] }>)) out[tag.toUpperCase()] = cleanElement(child);
        return out;
      }),
    };
  }
  // PS3.18 F.2.3: an AT value is 8 hex digits, as Orthanc serves it (dcmjs reads it as a number).
  if (vr === 'AT') return { vr, Value: values.map((v) => (typeof v === 'number' ? v.toString(16).toUpperCase().padStart(8, '0') : v)) };
  return { vr, Value: values };
}

/** The file's bytes as the index's offsets see them (inflated for the deflated syntax). */
export async function readInstanceBytes(record: InstanceRecord): Promise<Uint8Array> {
  const buffer = await readFile(record.path);
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
  return record.deflated ? dicomParser.parseDicom(bytes, { inflater }).byteArray : bytes;
}

export async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}

/**
 * One local file → an instance ready to show, a DICOMDIR, or a rejection with a reason.
 * dicom-parser finds the elements and dcmjs makes the DICOM JSON; on top of them this checks
 * what a viewer relies on: every declared length lies inside the file, every VR is a standard
 * one, elements come in tag order, the identifying UIDs are present and valid, and the Pixel Data
 * holds what Rows × Columns × bits × samples × frames promise (native) or starts as its codec
 * should (encapsulated). It never throws: a file it cannot use gets a reason without patient data.
 */
import dcmjs from 'dcmjs';
import dicomParser from 'dicom-parser';
import { inflateSync } from 'fflate';
import type { DicomJsonDataset, DicomJsonElement } from '../contracts/index';
import {
  DeflatedExplicitVRLittleEndian,
  ImplicitVRLittleEndian,
  KnownTransferSyntaxes,
  frameStartFits,
  transferSyntaxProblem,
  type TransferSyntaxInfo,
} from './transferSyntaxes';
import type { LocalIdentity, ParsedLocalFile, PixelLocation } from './types';

export const MediaStorageDirectoryStorage = '1.2.840.10008.1.3.10';

/** The VRs of PS3.5 table 6.2-1. */
const StandardVrs = new Set([
  'AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FD', 'FL', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW',
  'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV',
]);

/** Binary values larger than this stay out of the metadata (they are bulk data, not attributes). */
const MaxInlineBinaryBytes = 64 * 1024;
const UidPattern = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;

class Rejection {
  constructor(readonly reason: string) {}
}

/** `x7fe00010` → `(7FE0,0010)`. */
export function tagLabel(tag: string): string {
  const hex = tag.replace(/^x/, '').toUpperCase();
  return `(${hex.slice(0, 4)},${hex.slice(4, 8)})`;
}

function toBytes(input: Uint8Array | ArrayBuffer): Uint8Array {
  return input instanceof Uint8Array ? input : new Uint8Array(input);
}

/** dicom-parser throws strings, Errors, or `{exception, dataSet}`; the words only, never values. */
function messageOf(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'exception' in error) return messageOf((error as { exception: unknown }).exception);
  return 'unexpected error';
}

/** dicom-parser's ways of saying the bytes ran out. */
function endedEarly(error: unknown): boolean {
  // "invalid value for parameter 'maxPosition'": a sequence or item declared past the end of the bytes.
  return /past end|overrun|cannot be greater than or equal to 'byteArray' length|maxP ?osition/.test(messageOf(error));
}

/**
 * Parses and checks one file.
 * @example
 * const parsed = parseLocalFile('CD/DICOM/IM000001', bytes);
 * if (parsed.kind === 'rejected') console.log(parsed.reason); // "truncated: element (7FE0,0010) declares …"
 */
export function parseLocalFile(path: string, input: Uint8Array | ArrayBuffer): ParsedLocalFile {
  try {
    return parseChecked(path, toBytes(input));
  } catch (error) {
    const reason = error instanceof Rejection ? error.reason : `cannot be read: ${messageOf(error)}`;
    return { kind: 'rejected', path, reason };
  }
}

function parseChecked(path: string, bytes: Uint8Array): ParsedLocalFile {
  if (bytes.length < 132) throw new Rejection(`not DICOM: ${bytes.length} bytes, too short for a DICOM file`);
  if (bytes[128] !== 0x44 || bytes[129] !== 0x49 || bytes[130] !== 0x43 || bytes[131] !== 0x4d) throw new Rejection('not DICOM: no DICM preamble');
  let meta: dicomParser.DataSet;
  try {
    meta = dicomParser.readPart10Header(bytes);
  } catch (error) {
    throw new Rejection(`${endedEarly(error) ? 'truncated: ' : ''}the file meta header cannot be read: ${messageOf(error)}`);
  }
  const transferSyntaxUID = cleanUid(meta.string('x00020010'));
  const problem = transferSyntaxProblem(transferSyntaxUID);
  if (problem) throw new Rejection(problem);
  const syntax = KnownTransferSyntaxes[transferSyntaxUID]!;
  const dataSet = parseDataSet(bytes, transferSyntaxUID);
  checkElements(dataSet, dataSet.byteArray.length, transferSyntaxUID !== ImplicitVRLittleEndian, true);
  checkWarnings(dataSet.warnings);

  if (cleanUid(meta.string('x00020002')) === MediaStorageDirectoryStorage) {
    return { kind: 'dicomdir', path, referencedFileIds: referencedFileIds(dataSet) };
  }
  const identity = identityOf(dataSet);
  const pixels = pixelLocation(dataSet, syntax, transferSyntaxUID);
  const metadata = metadataOf(bytes);
  return { kind: 'instance', instance: { path, identity, transferSyntaxUID, metadata, ...(pixels ? { pixels } : {}), bytes } };
}

function cleanUid(value: string | undefined): string {
  return (value ?? '').replace(/\0/g, '').trim();
}

function parseDataSet(bytes: Uint8Array, transferSyntaxUID: string): dicomParser.DataSet {
  // dicom-parser reads what the inflater returns from its first byte: the inflated data set alone.
  const inflater = (array: Uint8Array, position: number): Uint8Array => {
    try {
      return inflateSync(array.subarray(position));
    } catch (error) {
      throw new Rejection(`the deflated data set cannot be inflated: ${messageOf(error)}`);
    }
  };
  try {
    return dicomParser.parseDicom(bytes, transferSyntaxUID === DeflatedExplicitVRLittleEndian ? { inflater } : {});
  } catch (error) {
    if (error instanceof Rejection) throw error;
    // The partial data set says which element ran past the end, if one did.
    const partial = (error as { dataSet?: dicomParser.DataSet } | undefined)?.dataSet;
    if (partial) checkElements(partial, partial.byteArray.length, transferSyntaxUID !== ImplicitVRLittleEndian, true);
    throw new Rejection(endedEarly(error) ? `truncated: the file ends inside an element (${messageOf(error)})` : `the data set cannot be parsed: ${messageOf(error)}`);
  }
}

/**
 * Walks a data set (and its sequence items): lengths inside `end`, standard VRs, ascending tags.
 * dicom-parser reads a value length past the end of the buffer without complaint, so that is
 * checked here first, as "truncated".
 */
function checkElements(dataSet: dicomParser.DataSet, end: number, explicit: boolean, topLevel: boolean): void {
  let previous = '';
  for (const element of Object.values(dataSet.elements)) {
    // Item and sequence delimiters (FFFE,xxxx) appear as elements of an undefined-length item.
    if (element.tag.startsWith('xfffe')) continue;
    const label = tagLabel(element.tag);
    if (!element.hadUndefinedLength && element.dataOffset + element.length > end) {
      const remaining = Math.max(0, end - element.dataOffset);
      throw new Rejection(`truncated: element ${label} declares ${element.length} bytes, ${remaining} remain`);
    }
    if (explicit && element.vr !== undefined && !StandardVrs.has(element.vr)) {
      throw new Rejection(`bad VR: element ${label} has VR "${printable(element.vr)}", not a DICOM VR`);
    }
    // The meta group is merged in after the data set; order is checked within the data set.
    const isMeta = topLevel && element.tag.startsWith('x0002');
    if (!isMeta) {
      if (element.tag <= previous) throw new Rejection(`malformed: element ${label} follows ${tagLabel(previous)} (tags must ascend; a length before it is probably wrong)`);
      previous = element.tag;
    }
    for (const item of element.items ?? []) {
      if (!item.dataSet) continue;
      const itemEnd = item.hadUndefinedLength ? end : Math.min(end, item.dataOffset + item.length);
      if (!item.hadUndefinedLength && item.dataOffset + item.length > end) {
        throw new Rejection(`truncated: an item of ${label} declares ${item.length} bytes, ${Math.max(0, end - item.dataOffset)} remain`);
      }
      checkElements(item.dataSet, itemEnd, explicit, false);
    }
  }
}

/** dicom-parser notes a missing end (a file cut inside a sequence or encapsulated pixel data) only as a warning. */
function checkWarnings(warnings: readonly string[]): void {
  // "eof … in peeking to determine VR" is only dicom-parser looking past a last implicit element.
  const eof = warnings.find((w) => /eof encountered before finding (item delimiter|sequence (item delimiter|delimit))|missing sequence delimiter/.test(w));
  if (eof) throw new Rejection(`truncated: ${eof}`);
  const unexpected = warnings.find((w) => /unexpected tag/.test(w));
  if (unexpected) throw new Rejection(`malformed: ${unexpected}`);
}

function printable(text: string): string {
  return [...text].map((c) => (c >= ' ' && c <= '~' ? c : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)).join('');
}

function referencedFileIds(dataSet: dicomParser.DataSet): string[][] {
  const records = dataSet.elements.x00041220?.items ?? [];
  return records.flatMap((record) => {
    const id = record.dataSet?.string('x00041500');
    return id ? [id.split('\\').map((part) => part.trim()).filter(Boolean)] : [];
  });
}

function text(dataSet: dicomParser.DataSet, tag: string): string {
  return (dataSet.string(tag) ?? '').replace(/\0/g, '').trim();
}

function optionalNumber(dataSet: dicomParser.DataSet, tag: string): number | undefined {
  const value = Number(text(dataSet, tag));
  return text(dataSet, tag) !== '' && Number.isFinite(value) ? value : undefined;
}

function requiredUid(dataSet: dicomParser.DataSet, tag: string, keyword: string): string {
  if (!dataSet.elements[tag]) throw new Rejection(`missing ${keyword} ${tagLabel(tag)}`);
  const uid = cleanUid(dataSet.string(tag));
  if (!UidPattern.test(uid) || uid.length > 64) throw new Rejection(`${keyword} ${tagLabel(tag)} is not a valid UID`);
  return uid;
}

function identityOf(dataSet: dicomParser.DataSet): LocalIdentity {
  const SeriesNumber = optionalNumber(dataSet, 'x00200011');
  const InstanceNumber = optionalNumber(dataSet, 'x00200013');
  const others = dataSet.string('x00101000');
  return {
    PatientID: text(dataSet, 'x00100020'),
    IssuerOfPatientID: text(dataSet, 'x00100021'),
    PatientName: text(dataSet, 'x00100010'),
    PatientBirthDate: text(dataSet, 'x00100030'),
    PatientSex: text(dataSet, 'x00100040'),
    OtherPatientIDs: others ? others.split('\\').map((id) => id.trim()).filter(Boolean) : [],
    StudyInstanceUID: requiredUid(dataSet, 'x0020000d', 'StudyInstanceUID'),
    StudyDate: text(dataSet, 'x00080020'),
    StudyTime: text(dataSet, 'x00080030'),
    StudyDescription: text(dataSet, 'x00081030'),
    AccessionNumber: text(dataSet, 'x00080050'),
    SeriesInstanceUID: requiredUid(dataSet, 'x0020000e', 'SeriesInstanceUID'),
    ...(SeriesNumber !== undefined ? { SeriesNumber } : {}),
    SeriesDescription: text(dataSet, 'x0008103e'),
    Modality: text(dataSet, 'x00080060'),
    SOPClassUID: requiredUid(dataSet, 'x00080016', 'SOPClassUID'),
    SOPInstanceUID: requiredUid(dataSet, 'x00080018', 'SOPInstanceUID'),
    ...(InstanceNumber !== undefined ? { InstanceNumber } : {}),
  };
}

/** US attributes of the Image Pixel module; absent ones read as undefined. */
function pixelModule(dataSet: dicomParser.DataSet) {
  const us = (tag: string) => (dataSet.elements[tag] ? dataSet.uint16(tag) : undefined);
  return {
    rows: us('x00280010'),
    columns: us('x00280011'),
    samples: us('x00280002') ?? 1,
    bitsAllocated: us('x00280100'),
    bitsStored: us('x00280101'),
    frames: optionalNumber(dataSet, 'x00280008') ?? 1,
  };
}

function pixelLocation(dataSet: dicomParser.DataSet, syntax: TransferSyntaxInfo, transferSyntaxUID: string): PixelLocation | undefined {
  const element = dataSet.elements.x7fe00010;
  const module = pixelModule(dataSet);
  if (!element) {
    if (module.rows !== undefined || module.columns !== undefined) throw new Rejection('no pixel data: the file has Rows and Columns but no Pixel Data (7FE0,0010)');
    return undefined; // a structured report, PDF or RT object: no image, still a valid instance
  }
  const { rows, columns, samples, bitsAllocated, bitsStored, frames } = module;
  if (!rows || !columns) throw new Rejection('pixel data without Rows and Columns (0028,0010/0011)');
  if (bitsAllocated === undefined || ![1, 8, 16, 32, 64].includes(bitsAllocated)) throw new Rejection(`BitsAllocated (0028,0100) is ${bitsAllocated ?? 'missing'}, not 1, 8, 16, 32 or 64`);
  if (bitsStored !== undefined && (bitsStored < 1 || bitsStored > bitsAllocated)) throw new Rejection(`BitsStored (0028,0101) is ${bitsStored}, more than BitsAllocated ${bitsAllocated}`);
  if (samples !== 1 && samples !== 3) throw new Rejection(`SamplesPerPixel (0028,0002) is ${samples}, not 1 or 3`);
  if (!Number.isInteger(frames) || frames < 1) throw new Rejection(`NumberOfFrames (0028,0008) is ${frames}, not a positive whole number`);

  if (syntax.encoding === 'native') {
    if (element.encapsulatedPixelData || element.hadUndefinedLength) {
      throw new Rejection(`pixel data is encapsulated (compressed) but the transfer syntax ${transferSyntaxUID} (${syntax.name}) is uncompressed`);
    }
    // Native YBR_FULL_422 stores two samples per pixel (Y for each, Cb and Cr shared by a pair).
    const stored = text(dataSet, 'x00280004') === 'YBR_FULL_422' && samples === 3 ? 2 : samples;
    const frameLength = Math.ceil((rows * columns * stored * bitsAllocated) / 8);
    const needed = Math.ceil((rows * columns * stored * bitsAllocated * frames) / 8);
    if (element.length < needed) {
      const shape = `${rows}×${columns}×${bitsAllocated}-bit${samples > 1 ? ` ×${samples} samples` : ''}${frames > 1 ? ` ×${frames} frames` : ''}`;
      throw new Rejection(`pixel data is ${element.length} bytes, ${shape} needs ${needed}`);
    }
    return { kind: 'native', offset: element.dataOffset, length: element.length, frameLength, frames };
  }

  if (!element.encapsulatedPixelData) {
    throw new Rejection(`pixel data is not encapsulated, but the transfer syntax ${transferSyntaxUID} (${syntax.name}) is compressed`);
  }
  const fragments = (element.fragments ?? []).map((f) => ({ offset: f.position, length: f.length }));
  if (fragments.length === 0) throw new Rejection('pixel data is encapsulated but holds no fragments');
  for (const fragment of fragments) {
    const remaining = dataSet.byteArray.length - fragment.offset;
    if (fragment.length > remaining) throw new Rejection(`truncated: a pixel data fragment declares ${fragment.length} bytes, ${Math.max(0, remaining)} remain`);
  }
  const offsets = element.basicOffsetTable ?? [];
  if (fragments.length < frames && offsets.length !== frames) throw new Rejection(`pixel data has ${fragments.length} fragments for ${frames} frames and no offset table`);
  const first = fragments[0]!;
  if (!frameStartFits(syntax.frameStart, dataSet.byteArray.subarray(first.offset, first.offset + Math.min(first.length, 64)))) {
    throw new Rejection(`pixel data does not start as ${syntax.name} data should: the transfer syntax label is probably wrong`);
  }
  return { kind: 'encapsulated', frames, fragments };
}

/** DICOM JSON of the data set through dcmjs, stopping before the Pixel Data. */
function metadataOf(bytes: Uint8Array): DicomJsonDataset {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let dict: Record<string, { vr: string; Value?: unknown[] }>;
  try {
    dict = dcmjs.data.DicomMessage.readFile(buffer, { untilTag: '7FE00010', includeUntilTagValue: false }).dict;
  } catch {
    // The structure was checked above; what dcmjs refuses here is a detail such as several
    // character sets (ISO 2022), which it reads anyway when told to go on.
    try {
      dict = dcmjs.data.DicomMessage.readFile(buffer, { untilTag: '7FE00010', includeUntilTagValue: false, ignoreErrors: true }).dict;
    } catch (error) {
      throw new Rejection(`the data set cannot be converted: ${messageOf(error)}`);
    }
  }
  return toDicomJson(dict);
}

function toDicomJson(dict: Record<string, { vr: string; Value?: unknown[] }>): DicomJsonDataset {
  const out: DicomJsonDataset = {};
  for (const [tag, element] of Object.entries(dict)) {
    if (tag.toUpperCase() === '7FE00010') continue;
    const converted = elementToJson(element);
    if (converted) out[tag.toUpperCase()] = converted;
  }
  return out;
}

function elementToJson(element: { vr: string; Value?: unknown[] }): DicomJsonElement | undefined {
  const values = element.Value ?? [];
  const binary = values.filter((v): v is ArrayBuffer => v instanceof ArrayBuffer);
  if (binary.length > 0) {
    const size = binary.reduce((sum, b) => sum + b.byteLength, 0);
    return size <= MaxInlineBinaryBytes ? { vr: element.vr, InlineBinary: base64(binary) } : undefined;
  }
  if (element.vr === 'SQ') return { vr: 'SQ', Value: values.map((item) => toDicomJson(item as Record<string, { vr: string; Value?: unknown[] }>)) };
  return values.length > 0 ? { vr: element.vr, Value: values } : { vr: element.vr };
}

function base64(buffers: ArrayBuffer[]): string {
  let binary = '';
  for (const buffer of buffers) {
    const bytes = new Uint8Array(buffer);
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

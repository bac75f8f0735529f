/**
 * HTJ2K lossless (1.2.840.10008.1.2.4.201) through OpenJPH's command-line tools, which speak
 * PGM/PPM and raw codestreams but not DICOM: pixels go out as a netpbm file, the codestream
 * comes back and dcmjs encapsulates it as a single fragment. Decoding is the reverse, so tests
 * and the transcoder can read HTJ2K files without a DICOM-aware HTJ2K decoder.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import { runTool, type ToolOutcome } from './tools';
import { TransferSyntaxes } from './transferSyntaxes';

/** HTJ2K (lossless or lossy): the syntax an irreversible codestream is labelled with. */
const HTJ2KUid = '1.2.840.10008.1.2.4.203';

export type StepOutcome = { kind: 'ok' } | { kind: 'unsupported'; reason: string } | Exclude<ToolOutcome, { kind: 'ok' }>;

type DicomDict = ReturnType<typeof dcmjs.data.DicomMessage.readFile>;

export async function readDicomDict(file: string): Promise<DicomDict> {
  const bytes = await readFile(file);
  return dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}

export function numberOf(dict: DicomDict, tag: string): number | undefined {
  const value = dict.dict[tag]?.Value?.[0];
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

interface PixelLayout {
  rows: number;
  columns: number;
  samples: number;
  bitsAllocated: number;
  bitsStored: number;
}

function layoutOf(dict: DicomDict): PixelLayout | string {
  const rows = numberOf(dict, '00280010');
  const columns = numberOf(dict, '00280011');
  const samples = numberOf(dict, '00280002') ?? 1;
  const bitsAllocated = numberOf(dict, '00280100');
  const bitsStored = numberOf(dict, '00280101') ?? bitsAllocated;
  if (!rows || !columns || !bitsAllocated || !bitsStored) return 'no image pixel module';
  if ((numberOf(dict, '00280008') ?? 1) > 1) return 'multi-frame images are not supported for HTJ2K here';
  if ((numberOf(dict, '00280103') ?? 0) !== 0) return 'signed pixels cannot pass through PGM';
  if (samples === 3 && (numberOf(dict, '00280006') ?? 0) !== 0) return 'planar colour cannot pass through PPM';
  if (!(samples === 1 || samples === 3) || !(bitsAllocated === 8 || bitsAllocated === 16)) return 'unsupported pixel layout';
  return { rows, columns, samples, bitsAllocated, bitsStored };
}

/** Native little-endian pixels → netpbm (big-endian words when maxval > 255). */
function toNetpbm(layout: PixelLayout, pixels: Uint8Array): Uint8Array | string {
  const maxval = layout.bitsAllocated === 8 ? 255 : 2 ** layout.bitsStored - 1;
  const count = layout.rows * layout.columns * layout.samples;
  const header = new TextEncoder().encode(`${layout.samples === 3 ? 'P6' : 'P5'}\n${layout.columns} ${layout.rows}\n${maxval}\n`);
  const bytesPerSample = layout.bitsAllocated / 8;
  const out = new Uint8Array(header.length + count * bytesPerSample);
  out.set(header);
  if (bytesPerSample === 1) {
    out.set(pixels.subarray(0, count), header.length);
    return out;
  }
  const words = new DataView(pixels.buffer, pixels.byteOffset, count * 2);
  const body = new DataView(out.buffer, header.length);
  for (let i = 0; i < count; i++) {
    const v = words.getUint16(2 * i, true);
    if (v > maxval) return `pixel value ${v} exceeds BitsStored`;
    body.setUint16(2 * i, v, false);
  }
  return out;
}

/** Parses a binary PGM/PPM into little-endian native pixel bytes. */
export function fromNetpbm(bytes: Uint8Array): { columns: number; rows: number; samples: number; maxval: number; pixels: Uint8Array } {
  const tokens: string[] = [];
  let i = 0;
  while (tokens.length < 4) {
    while (i < bytes.length && /\s/.test(String.fromCharCode(bytes[i] ?? 0))) i++;
    if (bytes[i] === 0x23) {
      while (i < bytes.length && bytes[i] !== 0x0a) i++;
      continue;
    }
    let token = '';
    while (i < bytes.length && !/\s/.test(String.fromCharCode(bytes[i] ?? 0))) token += String.fromCharCode(bytes[i++] ?? 0);
    tokens.push(token);
  }
  i++; // the single whitespace byte before the raster
  const [magic, w, h, m] = tokens;
  const samples = magic === 'P6' ? 3 : 1;
  const columns = Number(w);
  const rows = Number(h);
  const maxval = Number(m);
  const count = columns * rows * samples;
  if (maxval <= 255) return { columns, rows, samples, maxval, pixels: bytes.slice(i, i + count) };
  const source = new DataView(bytes.buffer, bytes.byteOffset + i, count * 2);
  const pixels = new Uint8Array(count * 2);
  const target = new DataView(pixels.buffer);
  for (let k = 0; k < count; k++) target.setUint16(2 * k, source.getUint16(2 * k, false), true);
  return { columns, rows, samples, maxval, pixels };
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * Native explicit-LE file → HTJ2K file: lossless (5/3 wavelet, 1.2.840.10008.1.2.4.201) unless
 * `lossy` gives a quantisation step, then irreversible (9/7 wavelet) under 1.2.840.10008.1.2.4.203
 * with the Lossy Image Compression attributes a lossy file must carry.
 */
export async function encodeHtj2kFile(inFile: string, outFile: string, workDir: string, stem: string, lossy?: { qstep: number }): Promise<StepOutcome> {
  const dict = await readDicomDict(inFile);
  const layout = layoutOf(dict);
  if (typeof layout === 'string') return { kind: 'unsupported', reason: layout };
  const pixelData = dict.dict['7FE00010']?.Value?.[0];
  if (!(pixelData instanceof ArrayBuffer)) return { kind: 'unsupported', reason: 'no native pixel data' };
  const netpbm = toNetpbm(layout, new Uint8Array(pixelData));
  if (typeof netpbm === 'string') return { kind: 'unsupported', reason: netpbm };
  const source = join(workDir, `${stem}.${layout.samples === 3 ? 'ppm' : 'pgm'}`);
  const codestream = join(workDir, `${stem}.j2c`);
  await writeFile(source, netpbm);
  const args = ['-i', source, '-o', codestream, '-reversible', lossy ? 'false' : 'true'];
  if (lossy) args.push('-qstep', String(lossy.qstep));
  if (layout.samples === 3) args.push('-colour_trans', 'false');
  const ran = await runTool('ojph_compress', args);
  if (ran.kind !== 'ok') return ran;
  const encoded = await readFile(codestream);
  dict.dict['7FE00010'] = { vr: 'OB', Value: [toArrayBuffer(encoded)] };
  dict.meta['00020010'] = { vr: 'UI', Value: [lossy ? HTJ2KUid : TransferSyntaxes['htj2k-lossless'].uid] };
  if (lossy) {
    const ratio = (layout.rows * layout.columns * layout.samples * layout.bitsAllocated) / 8 / encoded.byteLength;
    dict.dict['00282110'] = { vr: 'CS', Value: ['01'] };
    dict.dict['00282112'] = { vr: 'DS', Value: [Math.round(ratio * 100) / 100] };
    dict.dict['00282114'] = { vr: 'CS', Value: ['ISO_15444_15'] };
  }
  await writeFile(outFile, new Uint8Array(dict.write({ fragmentMultiframe: false })));
  return { kind: 'ok' };
}

/** HTJ2K file → native explicit-LE file (for reading HTJ2K input and for round-trip tests). */
export async function decodeHtj2kFile(inFile: string, outFile: string, workDir: string, stem: string): Promise<StepOutcome> {
  const dict = await readDicomDict(inFile);
  const frame = dict.dict['7FE00010']?.Value?.[0];
  if (!(frame instanceof ArrayBuffer)) return { kind: 'unsupported', reason: 'no encapsulated frame' };
  const samples = numberOf(dict, '00280002') ?? 1;
  const codestream = join(workDir, `${stem}.j2c`);
  const decoded = join(workDir, `${stem}.${samples === 3 ? 'ppm' : 'pgm'}`);
  await writeFile(codestream, new Uint8Array(frame));
  const ran = await runTool('ojph_expand', ['-i', codestream, '-o', decoded]);
  if (ran.kind !== 'ok') return ran;
  const image = fromNetpbm(await readFile(decoded));
  dict.dict['7FE00010'] = { vr: image.maxval > 255 ? 'OW' : 'OB', Value: [toArrayBuffer(image.pixels)] };
  dict.meta['00020010'] = { vr: 'UI', Value: [TransferSyntaxes['explicit-le'].uid] };
  await writeFile(outFile, new Uint8Array(dict.write()));
  return { kind: 'ok' };
}

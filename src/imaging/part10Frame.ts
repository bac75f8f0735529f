/**
 * Cutting one frame out of a whole Part 10 instance as a server sent it (multipart/related,
 * possibly deflated): the frame keeps its stored encoding so the image loader decodes it exactly
 * as it would a WADO-RS frame. Pure byte work, no Cornerstone.
 */
import dicomParser from 'dicom-parser';

const DEFLATED = '1.2.840.10008.1.2.1.99';

/** The first part of a single-part multipart/related body. */
export function firstPart(body: Uint8Array, contentType: string): Uint8Array {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) return body;
  const text = new TextDecoder('latin1');
  const head = text.decode(body.subarray(0, Math.min(body.length, 4096)));
  const headerEnd = head.indexOf('\r\n\r\n');
  if (headerEnd < 0) throw new Error('firstPart: multipart body without part headers');
  const start = headerEnd + 4;
  const closing = new TextEncoder().encode(`\r\n--${boundary}`);
  for (let i = start; i <= body.length - closing.length; i++) {
    let hit = true;
    for (let k = 0; k < closing.length; k++) {
      if (body[i + k] !== closing[k]) {
        hit = false;
        break;
      }
    }
    if (hit) return body.subarray(start, i);
  }
  return body.subarray(start);
}

async function inflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Parses Part 10 bytes; a deflated dataset is inflated first (the browser's own zlib). */
async function parsePart10(bytes: Uint8Array): Promise<dicomParser.DataSet> {
  const meta = dicomParser.readPart10Header(bytes);
  if (meta.string('x00020010')?.trim() !== DEFLATED) return dicomParser.parseDicom(bytes);
  const groupLength = meta.elements.x00020000;
  if (!groupLength) throw new Error('parsePart10: deflated file without a meta group length');
  const position = groupLength.dataOffset + 4 + (meta.uint32('x00020000') ?? 0);
  const inflated = await inflateRaw(bytes.subarray(position));
  const full = new Uint8Array(position + inflated.length);
  full.set(bytes.subarray(0, position));
  full.set(inflated, position);
  const inflater = (() => full) as unknown as (array: Uint8Array, at: number) => void;
  return dicomParser.parseDicom(bytes, { inflater });
}

/** One frame's stored bytes and the syntax they are in. */
export async function frameFromPart10(bytes: Uint8Array, frameIndex: number): Promise<{ pixelData: Uint8Array; transferSyntaxUID: string }> {
  const dataSet = await parsePart10(bytes);
  const stored = dataSet.string('x00020010')?.trim() ?? '1.2.840.10008.1.2';
  // Once inflated, a deflated file's pixel data is plain explicit little endian.
  const transferSyntaxUID = stored === DEFLATED ? '1.2.840.10008.1.2.1' : stored;
  const pixel = dataSet.elements.x7fe00010;
  if (!pixel) throw new Error('frameFromPart10: the instance has no PixelData');
  if (pixel.encapsulatedPixelData) {
    const fragments = pixel.fragments ?? [];
    const frames = dataSet.intString('x00280008') ?? 1;
    if (frames === 1) return { pixelData: dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixel, 0, fragments.length), transferSyntaxUID };
    // One fragment per frame is the common layout; otherwise the offset table finds the frame.
    if (fragments.length === frames) return { pixelData: dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixel, frameIndex, 1), transferSyntaxUID };
    const table = pixel.basicOffsetTable?.length ? pixel.basicOffsetTable : dicomParser.createJPEGBasicOffsetTable(dataSet, pixel);
    return { pixelData: dicomParser.readEncapsulatedImageFrame(dataSet, pixel, frameIndex, table), transferSyntaxUID };
  }
  const rows = dataSet.uint16('x00280010') ?? 0;
  const columns = dataSet.uint16('x00280011') ?? 0;
  const samples = dataSet.uint16('x00280002') ?? 1;
  const bits = dataSet.uint16('x00280100') ?? 16;
  const frameBytes = Math.ceil((rows * columns * samples * bits) / 8);
  const start = pixel.dataOffset + frameIndex * frameBytes;
  return { pixelData: dataSet.byteArray.subarray(start, start + frameBytes), transferSyntaxUID };
}

import { deflateRawSync } from 'node:zlib';
import dcmjs from 'dcmjs';
import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { firstPart, frameFromPart10 } from './part10Frame';

const { DicomDict, DicomMetaDictionary } = dcmjs.data;

function part10(transferSyntaxUID: string, frames: ArrayBuffer[], extra: Record<string, unknown> = {}): Uint8Array {
  const sop = DicomMetaDictionary.uid();
  const dict = new DicomDict(
    DicomMetaDictionary.denaturalizeDataset({
      FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
      MediaStorageSOPClassUID: '1.2.840.10008.5.1.4.1.1.7',
      MediaStorageSOPInstanceUID: sop,
      TransferSyntaxUID: transferSyntaxUID,
      ImplementationClassUID: '1.2.826.0.1.3680043.10.1',
    }),
  );
  dict.dict = DicomMetaDictionary.denaturalizeDataset({
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.7',
    SOPInstanceUID: sop,
    Rows: 2,
    Columns: 2,
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: 1,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    PixelData: frames,
    _vrMap: { PixelData: 'OB' },
    ...extra,
  });
  return new Uint8Array(dict.write());
}

const words = (...values: number[]) => new Uint8Array(new Int16Array(values).buffer);

describe('frame from a whole Part 10 instance', () => {
  it('cuts the second frame of a native multi-frame file by its byte length', async () => {
    const pixels = new Int16Array([1, 2, 3, 4, -5, -6, -7, -8]);
    const file = part10('1.2.840.10008.1.2.1', [pixels.buffer], { NumberOfFrames: 2 });
    const frame = await frameFromPart10(file, 1);
    expect(frame.transferSyntaxUID).toBe('1.2.840.10008.1.2.1');
    expect([...new Int16Array(frame.pixelData.slice().buffer)]).toEqual([-5, -6, -7, -8]);
  });

  it('returns the stored bytes of an encapsulated frame untouched, with its syntax', async () => {
    const first = new Uint8Array([0xff, 0x4f, 1, 2, 3, 4]);
    const second = new Uint8Array([0xff, 0x4f, 9, 8, 7, 6]);
    const file = part10('1.2.840.10008.1.2.4.201', [first.buffer, second.buffer], { NumberOfFrames: 2 });
    const frame = await frameFromPart10(file, 1);
    expect(frame.transferSyntaxUID).toBe('1.2.840.10008.1.2.4.201');
    expect([...frame.pixelData]).toEqual([...second]);
  });

  it('inflates a deflated file and answers its pixels as explicit little endian', async () => {
    const plain = part10('1.2.840.10008.1.2.1.99', [words(10, -20, 30, -40).buffer]);
    // dcmjs writes the body plainly; deflate it here as a real deflated file stores it.
    const meta = dicomParser.readPart10Header(plain);
    const position = meta.elements.x00020000!.dataOffset + 4 + meta.uint32('x00020000')!;
    const deflated = new Uint8Array([...plain.subarray(0, position), ...deflateRawSync(plain.subarray(position))]);
    expect(deflated.length).not.toBe(plain.length);
    const frame = await frameFromPart10(deflated, 0);
    expect(frame.transferSyntaxUID).toBe('1.2.840.10008.1.2.1');
    expect([...new Int16Array(frame.pixelData.slice().buffer)]).toEqual([10, -20, 30, -40]);
  });

  it('takes the first part out of a multipart/related body', () => {
    const inner = new Uint8Array([0, 1, 2, 13, 10, 45, 45, 3]);
    const head = new TextEncoder().encode('--abc\r\nContent-Type: application/dicom\r\n\r\n');
    const tail = new TextEncoder().encode('\r\n--abc--\r\n');
    const body = new Uint8Array([...head, ...inner, ...tail]);
    expect([...firstPart(body, 'multipart/related; type="application/dicom"; boundary=abc')]).toEqual([...inner]);
  });
});

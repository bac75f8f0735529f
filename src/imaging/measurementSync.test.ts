import { describe, expect, it } from 'vitest';
import { firstMultipartPart, stowBody } from './measurementSync';

describe('STOW and WADO-RS multipart bodies', () => {
  it('the DICOM bytes put into a STOW body come out of it unchanged, including CR LF inside the data', async () => {
    const part10 = new Uint8Array([0x44, 0x49, 0x43, 0x4d, 13, 10, 45, 45, 0, 255, 128]);
    const body = new Uint8Array(await stowBody(part10.buffer, 'b123').arrayBuffer());
    const text = new TextDecoder('latin1').decode(body);
    expect(text.startsWith('--b123\r\nContent-Type: application/dicom\r\n\r\n')).toBe(true);
    expect(text.endsWith('\r\n--b123--\r\n')).toBe(true);
    expect([...firstMultipartPart(body, 'multipart/related; type="application/dicom"; boundary=b123')!]).toEqual([...part10]);
  });

  it('a quoted boundary is understood and an answer with no boundary gives nothing', () => {
    const body = new TextEncoder().encode('--xyz\r\nContent-Type: application/dicom\r\n\r\nABC\r\n--xyz--');
    expect(new TextDecoder().decode(firstMultipartPart(body, 'multipart/related; boundary="xyz"'))).toBe('ABC');
    expect(firstMultipartPart(body, 'application/dicom')).toBeUndefined();
  });
});

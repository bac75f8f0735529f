import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { indexFolder, indexInstance } from './indexFolder';
import { fixtureBytes, standardFixtures } from './testFixtures';

const dir = mkdtempSync(join(tmpdir(), 'cv-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fixture's bytes with the meta header's transfer syntax swapped for one of the same length. */
function relabelled(bytes: Buffer, from: string, to: string): Buffer {
  expect(to.length).toBe(from.length);
  const at = bytes.indexOf(from, 128, 'latin1');
  expect(at).toBeGreaterThan(128);
  const out = Buffer.from(bytes);
  out.write(to, at, 'latin1');
  return out;
}

describe('indexing malformed files', () => {
  it("skips a file that ends halfway through its Pixel Data, with dicom-parser's reason in words", async () => {
    const whole = fixtureBytes(standardFixtures()[0]!);
    writeFileSync(join(dir, 'cut.dcm'), whole.subarray(0, whole.length - 10));
    const { instances, skipped } = await indexFolder(dir);
    expect(instances).toEqual([]);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]!.reason).not.toContain('[object Object]');
    expect(skipped[0]!.reason).toMatch(/past end of buffer|buffer overrun/);
  });

  it('serves native Pixel Data under a syntax it does not know as one frame, labelled with that syntax', () => {
    const native = fixtureBytes(standardFixtures()[0]!);
    const record = indexInstance('unknown.dcm', relabelled(native, '1.2.840.10008.1.2.1\0', '1.2.840.10008.9.9.9\0'));
    if (typeof record === 'string') throw new Error(record);
    expect(record.transferSyntaxUID).toBe('1.2.840.10008.9.9.9');
    const pixel = record.bulk.get('7FE00010')!;
    expect(record.frames).toEqual([[{ offset: pixel.offset, length: 4 * 4 * 2 }]]);
  });
});

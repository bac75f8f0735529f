import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { DicomJsonDataset } from './record';
import { tapKindFor, tapResponse } from './tap';

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A server whose handler writes `chunks` through a tapped response; resolves what the tap got. */
async function serveTapped(status: number, chunks: string[], limitBytes?: number): Promise<{ body: string; tapped: Promise<DicomJsonDataset[] | 'nothing'> }> {
  let resolveTap: (value: DicomJsonDataset[] | 'nothing') => void = () => undefined;
  const tapped = new Promise<DicomJsonDataset[] | 'nothing'>((resolve) => (resolveTap = resolve));
  server = http.createServer((_req, res) => {
    tapResponse(res, (datasets) => resolveTap(datasets), limitBytes);
    res.once('finish', () => setTimeout(() => resolveTap('nothing'), 50));
    res.writeHead(status, { 'content-type': 'application/dicom+json' });
    for (const chunk of chunks.slice(0, -1)) res.write(chunk);
    res.end(chunks.at(-1));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  return { body: await response.text(), tapped };
}

describe('proxy tap', () => {
  it('hands the whole JSON body to the index after the browser got it unchanged', async () => {
    const chunks = ['[{"0020000D":{"vr":"UI","Val', 'ue":["1.2.3"]}}', ',{"0020000D":{"vr":"UI","Value":["1.2.4"]}}]'];
    const { body, tapped } = await serveTapped(200, chunks);
    expect(body).toBe(chunks.join(''));
    expect(await tapped).toEqual(JSON.parse(chunks.join('')));
  });

  it('learns nothing from a failed answer or one over the size cap', async () => {
    expect(await (await serveTapped(404, ['[{"0020000D":{"vr":"UI","Value":["1"]}}]'])).tapped).toBe('nothing');
    const big = await serveTapped(200, ['[{"0020000D":{"vr":"UI","Value":["1"]}}', ',{"0020000D":{"vr":"UI","Value":["2"]}}]'], 40);
    expect(big.body).toContain('"2"');
    expect(await big.tapped).toBe('nothing');
  });

  it('taps WADO-RS metadata at every level and study-level QIDO, and nothing else', () => {
    expect(tapKindFor('GET', 'studies/1.2/metadata')).toBe('metadata');
    expect(tapKindFor('GET', 'studies/1.2/series/3/metadata')).toBe('metadata');
    expect(tapKindFor('GET', 'studies/1.2/series/3/instances/4/metadata')).toBe('metadata');
    expect(tapKindFor('GET', 'studies')).toBe('query');
    expect(tapKindFor('GET', 'studies/1.2/series/3/instances/4/frames/1')).toBeUndefined();
    expect(tapKindFor('GET', 'series')).toBeUndefined();
    expect(tapKindFor('POST', 'studies')).toBeUndefined();
  });
});

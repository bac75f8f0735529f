/**
 * The physical floor: the same frames fetched over loopback with no viewer at all — Node fetch,
 * `concurrency` requests in flight (6: what Chromium opens per origin over HTTP/1.1), bodies read
 * to the end. The instance list comes from QIDO first and is not timed.
 */
export interface FloorSample {
  ms: number;
  bytes: number;
  frames: number;
}

export const FrameAccept = 'multipart/related; type="application/octet-stream"; transfer-syntax=*';

/** WADO-RS frame URLs of every instance of a series under a DICOMweb root. */
export async function frameUrls(dicomwebRoot: string, studyUID: string, seriesUID: string, headers: Record<string, string> = {}): Promise<string[]> {
  const base = `${dicomwebRoot}/studies/${studyUID}/series/${seriesUID}`;
  const res = await fetch(`${base}/instances`, { headers: { accept: 'application/dicom+json', ...headers } });
  if (!res.ok) throw new Error(`frameUrls: QIDO answered HTTP ${res.status}`);
  const instances = (await res.json()) as { '00080018': { Value: [string] } }[];
  return instances.map((i) => `${base}/instances/${i['00080018'].Value[0]}/frames/1`);
}

/** Fetches every URL with `concurrency` in flight; throws on any non-200 answer. */
/** `headers`: a session cookie when the frames come through the gateway. */
export async function fetchAll(urls: string[], concurrency: number, headers: Record<string, string> = {}): Promise<FloorSample> {
  let next = 0;
  let bytes = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < urls.length) {
      const url = urls[next++]!;
      const res = await fetch(url, { headers: { accept: FrameAccept, ...headers } });
      if (res.status !== 200) throw new Error(`fetchAll: HTTP ${res.status} for a frame`);
      const body = await res.arrayBuffer();
      bytes += body.byteLength;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ms: performance.now() - started, bytes, frames: urls.length };
}

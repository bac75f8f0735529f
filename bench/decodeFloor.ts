/**
 * The decode half of the floor: the CT's compressed frames decoded by the same WASM codecs the
 * viewer uses (@cornerstonejs/codec-openjph for HTJ2K, codec-charls for JPEG-LS), in Chromium's
 * main thread, one after another, with nothing else on the page. The frames are cut out of the
 * files by dicom-parser and fetched before the clock starts; only decode calls are timed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import dicomParser from 'dicom-parser';
import type { Browser } from 'playwright-core';
import type { BenchSyntax } from './benchData';

const Codecs: Partial<Record<BenchSyntax, { script: string; wasm: string; factory: string; decoder: string }>> = {
  'htj2k-lossless': { script: 'codec-openjph/dist/openjphjs.js', wasm: 'codec-openjph/dist/openjphjs.wasm', factory: 'Module', decoder: 'HTJ2KDecoder' },
  'jpeg-ls-lossless': { script: 'codec-charls/dist/charlswasm_decode.js', wasm: 'codec-charls/dist/charlswasm_decode.wasm', factory: 'CharLSWASM', decoder: 'JpegLSDecoder' },
};

export function hasDecodeFloor(syntax: BenchSyntax): boolean {
  return syntax in Codecs;
}

function framesOf(dir: string): Buffer[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.dcm'))
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(dir, name));
      const dataSet = dicomParser.parseDicom(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      const pixels = dataSet.elements.x7fe00010;
      if (!pixels?.encapsulatedPixelData) throw new Error(`decodeFloor: ${name} has no encapsulated pixel data`);
      return Buffer.from(dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixels, 0));
    });
}

/**
 * Runs in the page. A plain string, not a function: tsx would wrap its inner functions in a
 * `__name` helper the page does not have.
 */
const InPage = `async ({ count, factory, decoderName, times }) => {
  const buffers = [];
  for (let i = 0; i < count; i++) buffers.push(new Uint8Array(await (await fetch('/frame/' + i)).arrayBuffer()));
  const codecModule = await window[factory]({ locateFile: (f) => (f.endsWith('.wasm') ? '/codec.wasm' : f) });
  const out = [];
  for (let run = 0; run < times; run++) {
    const decoder = new codecModule[decoderName]();
    const started = performance.now();
    let decodedBytes = 0;
    for (const frame of buffers) {
      decoder.getEncodedBuffer(frame.length).set(frame);
      decoder.decode();
      decodedBytes += decoder.getDecodedBuffer().length;
    }
    out.push(performance.now() - started);
    decoder.delete();
    if (decodedBytes < count * 512 * 512 * 2) throw new Error('decoded only ' + decodedBytes + ' bytes');
  }
  return out;
}`;

/** Milliseconds to decode every frame of the folder once, single-threaded in the page. */
export async function decodeFloorMs(browser: Browser, syntax: BenchSyntax, dir: string, runs: number): Promise<number[]> {
  const codec = Codecs[syntax];
  if (!codec) throw new Error(`decodeFloor: no codec for ${syntax}`);
  const frames = framesOf(dir);
  const modules = resolve('node_modules/@cornerstonejs');
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const frame = /^\/frame\/(\d+)$/.exec(url);
    if (frame) return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(frames[Number(frame[1])]);
    if (url === '/codec.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(join(modules, codec.script)));
    if (url === '/codec.wasm') return void res.writeHead(200, { 'content-type': 'application/wasm' }).end(readFileSync(join(modules, codec.wasm)));
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>decode floor</title>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const page = await browser.newPage();
  try {
    await page.goto(`${origin}/`);
    await page.addScriptTag({ url: '/codec.js' });
    const args = JSON.stringify({ count: frames.length, factory: codec.factory, decoderName: codec.decoder, times: runs });
    return (await page.evaluate(`(${InPage})(${args})`)) as number[];
  } finally {
    await page.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

/**
 * `npm run bench`: the benchmark harness on the real stack (three Orthanc hospitals, the gateway,
 * Debian Chromium). Each part lives in its own file; this one runs them in order, prints the
 * table, and writes `bench/results/<date>.json` and `BENCHMARKS.md`. Needs `dist/` built.
 *   BENCH_RUNS   runs per browser measurement (default 5)
 *   BENCH_FLOOR_RUNS runs of each floor: loopback fetch, WASM decode (default 3; they vary little)
 *   BENCH_LOAD_S seconds of the load test (default 20)
 *   BENCH_SKIP   comma list of parts to leave out: syntaxes, session, ohif, load
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseConfig, type CrossviewConfig } from '../src/contracts/index';
import { startGateway } from '../src/server/index';
import { ensureBenchData, type CtDataset } from './benchData';
import { startBenchStack } from './benchStack';
import { ctLoadRun, sessionRun, type CtLoadSample, type SessionSample } from './crossview';
import { decodeFloorMs, hasDecodeFloor } from './decodeFloor';
import { fetchAll, frameUrls, type FloorSample } from './floor';
import { runLoad, type LoadResult } from './load';
import { ohifRun, OhifDist, OhifVersion, prepareOhif, type OhifSample } from './ohif';
import { startOhifServer } from './ohifServer';
import { webglRenderer } from './pageProbe';
import { writeBenchmarksMd } from './report';
import { percentile, ratio, summarise } from './stats';
import { markdownTable, type Row } from './table';
import { signInForFetch, testAuthConfig } from '../e2e/hospitals/testAccounts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
// The floors are the machine's, not the viewer's, and vary little: fewer runs keep the whole bench
// under 15 minutes on 2 cores with the 300-slice CT and the 7-study session.
const FLOOR_RUNS = Number(process.env.BENCH_FLOOR_RUNS ?? 3);
const LOAD_S = Number(process.env.BENCH_LOAD_S ?? 20);
const SKIP = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
const FloorConcurrency = 6;
const LoadViewers = 50;
const ScrollSlices = 100;
const MiB = 2 ** 20;

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

function folderConfig(dir: string): CrossviewConfig {
  const parsed = parseConfig({ sites: [{ id: 'bench', name: 'Bench Folder Hospital', patientIdIssuer: 'BEN', folder: { path: dir } }], identity: { nationalIdIssuer: 'NHS' }, auth: testAuthConfig() });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.config;
}

async function repeat<T>(label: string, fn: () => Promise<T>, runs = RUNS): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < runs; i++) {
    out.push(await fn());
    log(`${label}: run ${i + 1}/${runs} ${JSON.stringify(out[i], (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))}`);
  }
  return out;
}

async function main() {
  const benchStarted = Date.now();
  // Other jobs on a shared machine slow every number down; the load average says how much was going on.
  const loadAtStart = loadavg()[0]!;
  let loadMax = loadAtStart;
  const loadSampler = setInterval(() => (loadMax = Math.max(loadMax, loadavg()[0]!)), 10_000);
  const rows: Row[] = [];
  const raw: Record<string, unknown> = {};
  const data = await ensureBenchData(log);
  const datasets = data.ct;
  const le = datasets.find((d) => d.syntax === 'explicit-le')!;
  log(`datasets ready${data.generatedInS ? ` (generated in ${data.generatedInS} s)` : ' (cached)'}: ${datasets.map((d) => `${d.syntax} ${(d.bytes / MiB).toFixed(1)} MiB`).join(', ')}`);
  const stackStarted = Date.now();
  const stack = await startBenchStack(data);
  log(`hospitals, gateway and browser up in ${Math.round((Date.now() - stackStarted) / 1000)} s`);
  try {
    const page = await stack.browser.newPage();
    const machine = {
      cores: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      chromium: stack.browser.version(),
      gl: await webglRenderer(page),
      node: process.version,
    };
    await page.close();
    log(`machine: ${JSON.stringify(machine)}`);
    const siteA = stack.hospitals.sites.find((s) => s.key === 'a')!;
    const ctGroup = (where: string) => `CT ${le.slices}×512² — ${where}`;

    // 1. The CT as stored in the Orthanc (explicit LE), through the gateway's proxy; and the floor.
    let orthancLoads: CtLoadSample[] = [];
    const orthancFrames = await frameUrls(siteA.dicomwebUrl, le.studyInstanceUID, le.seriesInstanceUID);
    if (!SKIP.has('syntaxes') || !SKIP.has('ohif')) {
      orthancLoads = await repeat('crossview orthanc explicit-le', () => ctLoadRun(stack.browser, stack.gateway.url, le.studyInstanceUID, le.seriesInstanceUID));
      const floor = await repeat('floor orthanc', () => fetchAll(orthancFrames, FloorConcurrency), FLOOR_RUNS);
      raw.orthanc = { loads: orthancLoads, floor };
      pushCtRows(rows, ctGroup('Orthanc (explicit LE) via gateway proxy'), orthancLoads, floor);
    }

    // 2. Each syntax from the gateway's folder site (Orthanc 1.x cannot send HTJ2K frames).
    if (!SKIP.has('syntaxes')) {
      for (const dataset of datasets) {
        const gateway = await startGateway({ config: folderConfig(dataset.dir), port: 0, staticDir: resolve('dist'), log: () => {} });
        try {
          const loads = await repeat(`crossview folder ${dataset.syntax}`, () => ctLoadRun(stack.browser, gateway.url, dataset.studyInstanceUID, dataset.seriesInstanceUID));
          // The floor goes through the gateway too, as a signed-in viewer would.
          const session = { cookie: (await signInForFetch(gateway.url)).cookie };
          const urls = await frameUrls(`${gateway.url}/sites/bench/dicom-web`, dataset.studyInstanceUID, dataset.seriesInstanceUID, session);
          const floor = await repeat(`floor folder ${dataset.syntax}`, () => fetchAll(urls, FloorConcurrency, session), FLOOR_RUNS);
          const decode = hasDecodeFloor(dataset.syntax) ? await decodeFloorMs(stack.browser, dataset.syntax, dataset.dir, FLOOR_RUNS) : undefined;
          if (decode) log(`decode floor ${dataset.syntax}: ${decode.map(Math.round).join(', ')} ms`);
          raw[`folder-${dataset.syntax}`] = { loads, floor, decode, fileBytes: dataset.bytes };
          pushCtRows(rows, ctGroup(`gateway folder site, ${dataset.syntax} (${(dataset.bytes / MiB).toFixed(0)} MiB)`), loads, floor, decode);
        } finally {
          await gateway.close();
        }
      }
    }

    // 3. A reading session on the 3-site patient: timeline, hanging, scroll rate, six priors.
    if (!SKIP.has('session')) {
      const sessions: SessionSample[] = await repeat('crossview session', () => sessionRun(stack.browser, stack.gateway.url, data, ScrollSlices));
      raw.session = sessions;
      const g = `Reading session (PATIENT launch; current ${data.current.slices}-slice CT at site A, ${data.priors.length} prior CTs of ${data.priors[0]?.slices ?? 0} slices over 3 sites)`;
      const protocols = new Map<string, number>();
      for (const p of sessions.flatMap((s) => s.priorProtocols)) protocols.set(p, (protocols.get(p) ?? 0) + 1);
      rows.push({ group: g, metric: 'timeline shows a study from each of the 3 sites', unit: 'ms', summary: summarise(sessions.map((s) => s.timelineMs)) });
      rows.push({ group: g, metric: `timeline holds all ${data.priors.length + 1} studies`, unit: 'ms', summary: summarise(sessions.map((s) => s.timelineCompleteMs)) });
      rows.push({ group: g, metric: 'current CT clicked, ct-compare hung with the most recent prior: navigation start → every cell shows its first image', unit: 'ms', summary: summarise(sessions.map((s) => s.hangingMs)), note: 'mark cv:hanging-ready:ct-compare:0' });
      rows.push({ group: g, metric: 'the same, from the click', unit: 'ms', summary: summarise(sessions.map((s) => s.hangingFromClickMs)) });
      rows.push({ group: g, metric: `wheel scroll over ${ScrollSlices} slices of the loaded current CT (prior cell linked)`, unit: 'frames/s', summary: summarise(sessions.map((s) => s.scrollFps)), note: 'in-page wheel event, then wait (per animation frame) until the shown slice index changes' });
      rows.push({ group: g, metric: `each prior clicked in turn: click → its hanging's cells show their first image`, unit: 'ms', summary: summarise(sessions.flatMap((s) => s.priorHangMs)), note: `${data.priors.length} priors × ${sessions.length} runs; protocols ${[...protocols].map(([p, n]) => `${p} ×${n}`).join(', ')}` });
      rows.push({ group: g, metric: `JS heap after opening all ${data.priors.length} priors, after GC`, unit: 'MiB', summary: summarise(sessions.map((s) => s.heapBytes / MiB)) });
      rows.push({ group: g, metric: `Cornerstone image cache after all ${data.priors.length} priors`, unit: 'MiB', summary: summarise(sessions.map((s) => s.cacheBytes / MiB)) });
    }

    // 4. OHIF on the same Orthanc, same series.
    if (!SKIP.has('ohif')) {
      const g = `OHIF ${OhifVersion} vs Crossview, same Orthanc, same CT`;
      let ohif: OhifSample[] = [];
      let reason: string | undefined;
      try {
        prepareOhif();
        const server = await startOhifServer(OhifDist, siteA.dicomwebUrl);
        try {
          ohif = await repeat('ohif', () => ohifRun(stack.browser, server.url, le.studyInstanceUID, le.seriesInstanceUID, le.slices));
        } finally {
          await server.close();
        }
      } catch (error) {
        reason = `OHIF not measured: ${error instanceof Error ? error.message : String(error)}`;
        log(reason);
      }
      raw.ohif = reason ? { reason } : ohif;
      const of = summarise(ohif.map((s) => s.firstImageMs));
      const oc = summarise(ohif.map((s) => s.seriesCompleteMs));
      const cf = summarise(orthancLoads.map((s) => s.firstImageMs));
      const cc = summarise(orthancLoads.map((s) => s.seriesCompleteMs));
      rows.push({ group: g, metric: 'OHIF first image (first non-black Cornerstone canvas)', unit: 'ms', ...(reason ? { note: reason } : { summary: of }) });
      rows.push({ group: g, metric: 'OHIF series complete (all slices loaded in its Cornerstone cache)', unit: 'ms', ...(reason ? { note: reason } : { summary: oc }) });
      rows.push({ group: g, metric: 'ratio Crossview / OHIF, first image (medians)', unit: '×', ...(reason ? { note: reason } : { value: ratio(cf.median, of.median) }) });
      rows.push({ group: g, metric: 'ratio Crossview / OHIF, series complete (medians)', unit: '×', ...(reason ? { note: reason } : { value: ratio(cc.median, oc.median) }) });
    }

    // 5. Load through the gateway (its own process) from the Orthanc.
    if (!SKIP.has('load')) {
      const siteId = stack.hospitals.config.sites.find((s) => s.dicomweb?.url === siteA.dicomwebUrl)?.id ?? siteA.siteId;
      const paths = orthancFrames.map((u) => `/sites/${siteId}/dicom-web${u.slice(siteA.dicomwebUrl.length)}`);
      const load: LoadResult = await runLoad(stack.hospitals.config, paths, LoadViewers, LOAD_S * 1000);
      const { latenciesMs, ...rest } = load;
      raw.load = { ...rest, p50Ms: percentile(latenciesMs, 50), p99Ms: percentile(latenciesMs, 99) };
      const g = `Load: ${LoadViewers} simulated viewers, ${LOAD_S} s, CT frames via gateway from Orthanc`;
      rows.push({ group: g, metric: 'throughput', unit: 'frames/s', value: load.requests / (load.durationMs / 1000) });
      rows.push({ group: g, metric: 'throughput', unit: 'MiB/s', value: load.bytes / MiB / (load.durationMs / 1000) });
      rows.push({ group: g, metric: 'latency p50', unit: 'ms', value: percentile(latenciesMs, 50) });
      rows.push({ group: g, metric: 'latency p99', unit: 'ms', value: percentile(latenciesMs, 99) });
      rows.push({ group: g, metric: 'errors', unit: 'count', value: load.errors, note: `${load.requests} requests` });
      rows.push({ group: g, metric: 'gateway RSS at start → max → end', unit: 'MiB', value: load.rssMaxBytes / MiB, note: `${(load.rssStartBytes / MiB).toFixed(0)} → ${(load.rssMaxBytes / MiB).toFixed(0)} → ${(load.rssEndBytes / MiB).toFixed(0)} MiB` });
    }

    clearInterval(loadSampler);
    const load = { start: loadAtStart, max: loadMax, end: loadavg()[0]! };
    const table = markdownTable(rows);
    const wallS = Math.round((Date.now() - benchStarted) / 1000);
    console.log(`\nCrossview benchmarks — ${RUNS} runs, ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Chromium ${machine.chromium}, ${machine.gl}; ${wallS} s\n`);
    console.log(table);
    const date = new Date().toISOString();
    const dir = resolve('bench/results');
    mkdirSync(dir, { recursive: true });
    const file = resolve(dir, `${date.slice(0, 10)}.json`);
    writeFileSync(file, `${JSON.stringify({ date, runs: RUNS, floorRuns: FLOOR_RUNS, wallSeconds: wallS, machine, loadAverage1m: load, datasets: { generatedInS: data.generatedInS, ct: datasets.map(({ dir: _d, ...d }: CtDataset) => d), current: data.current, priors: data.priors }, rows, raw }, null, 2)}\n`);
    writeBenchmarksMd({
      date, runs: RUNS, floorRuns: FLOOR_RUNS, wallS, machine, load, table, loadSeconds: LOAD_S, resultsFile: `bench/results/${date.slice(0, 10)}.json`,
      dataset: { ctSlices: le.slices, currentSlices: data.current.slices, priors: data.priors.length, priorSlices: data.priors[0]?.slices ?? 0, priorDates: data.priors.map((p) => `${p.StudyDate} (${p.siteId})`) },
    });
    log(`results written to ${file} and BENCHMARKS.md`);
  } finally {
    clearInterval(loadSampler);
    await stack.stop();
  }
}

function pushCtRows(rows: Row[], group: string, loads: CtLoadSample[], floor: FloorSample[], decode?: number[]): void {
  const complete = summarise(loads.map((s) => s.seriesCompleteMs));
  const floorMs = summarise(floor.map((f) => f.ms));
  rows.push({ group, metric: 'Crossview first image (from navigation start)', unit: 'ms', summary: summarise(loads.map((s) => s.firstImageMs)) });
  rows.push({ group, metric: 'Crossview series complete (from navigation start)', unit: 'ms', summary: complete });
  rows.push({ group, metric: `floor: all frames over loopback, Node fetch ×${FloorConcurrency} (${((floor[0]?.bytes ?? 0) / MiB).toFixed(1)} MiB)`, unit: 'ms', summary: floorMs });
  rows.push({ group, metric: 'ratio series complete / fetch floor (medians)', unit: '×', value: ratio(complete.median, floorMs.median) });
  if (!decode) return;
  const decodeMs = summarise(decode);
  rows.push({ group, metric: 'floor: WASM decode of all frames alone, one thread in Chromium', unit: 'ms', summary: decodeMs });
  rows.push({ group, metric: 'ratio series complete / (fetch + decode floor) (medians)', unit: '×', value: ratio(complete.median, floorMs.median + decodeMs.median) });
}

main().catch((error) => {
  console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});

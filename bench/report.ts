/** BENCHMARKS.md: the latest run's table, the machine it ran on, and how to reproduce each number. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface ReportInput {
  date: string;
  runs: number;
  wallS: number;
  machine: { cores: number; cpu: string; memoryGiB: number; chromium: string; gl: string; node: string };
  table: string;
  loadSeconds: number;
  resultsFile: string;
}

export function writeBenchmarksMd(input: ReportInput): void {
  const { machine: m } = input;
  const text = `# Benchmarks

Written by \`npm run bench\` (bench/run.ts) on ${input.date.slice(0, 16).replace('T', ' ')} UTC; raw samples in
[\`${input.resultsFile}\`](${input.resultsFile}). The whole run took ${input.wallS} s.

**Machine:** ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB memory, Debian Chromium ${m.chromium} headless,
WebGL renderer "${m.gl}" (no GPU: software GL), Node ${m.node}. Everything on loopback.

Medians of ${input.runs} runs with min and max; every browser run uses a fresh browser context (empty HTTP
and image caches). Times are from navigation start (the page's \`performance.now()\`).
The spread between min and max is real noise: on the shared 2-core machine these results come from, other
jobs (type checks, unit tests) may have used the cores during the run.

${input.table}

## What each number is, and how to reproduce it

\`\`\`sh
npx vite build && npm run bench          # all of it (wall time of the latest run: above)
BENCH_RUNS=5 BENCH_LOAD_S=20 BENCH_SKIP=ohif,load npm run bench   # knobs: runs, load seconds, parts to skip
\`\`\`

The bench needs what the e2e tests need (Debian \`orthanc\`, \`orthanc-dicomweb\`, \`chromium\`, and the codec
tools \`transcodeFolder\` uses, see \`scripts/ensure-tools.mjs\`) and \`npm pack\` access to the npm registry
once, for OHIF. It uses free loopback ports, \`dist/\` and a lot of CPU: run nothing else meanwhile
(in this repo's shared CI tree: \`flock /tmp/e2e.lock sh -c 'npx vite build && npm run bench'\`).

- **Dataset.** The demo patient's current CT (src/demo, seed 1): **220 slices of 512×512**, 16-bit, not the
  512×512×300 the issue asks for — the generator is not the bench's to change, and 220 slices already
  load in seconds. bench/datasets.ts copies its files (explicit little endian, as generated) and transcodes
  them with \`transcodeFolder\` (Debian's codecs) to HTJ2K lossless and JPEG-LS lossless, cached in
  \`.cache/bench/\` (about 30 s the first time).
- **CT first image / series complete** (bench/crossview.ts \`ctLoadRun\`): opens
  \`/IHEInvokeImageDisplay?requestType=STUDY&studyUID=…\` and reads Crossview's own performance marks
  \`cv:first-image:vp-1\` (first slice drawn) and \`cv:series-complete:<series>\` (every slice decoded into the
  image cache). "Orthanc via gateway proxy" is the CT as stored in the test hospital's Orthanc; the
  "gateway folder site" rows serve one folder per syntax from the gateway itself, because Orthanc 1.x
  cannot send HTJ2K frames (as in e2e/codecs.e2e.test.ts).
- **Floor** (bench/floor.ts): the same frames' WADO-RS URLs (listed by QIDO first, untimed) fetched by Node
  \`fetch\` over loopback, 6 in flight (Chromium's per-origin HTTP/1.1 limit), bodies read to the end, from the
  same server the viewer used. "ratio series complete / fetch floor" is the viewer's time over that.
- **Decode floor** (bench/decodeFloor.ts, compressed syntaxes only): the frames cut out of the files by
  dicom-parser, loaded into a blank page first, then decoded one after another on the page's main thread
  by the WASM codecs the viewer bundles (\`@cornerstonejs/codec-openjph\` for HTJ2K, \`codec-charls\` for
  JPEG-LS); only the decode calls are timed. The viewer decodes in web workers, so on more cores it can beat
  fetch + decode added up; on 2 cores that sum is a fair floor. Explicit LE needs no decode.
- **Reading session** (\`sessionRun\`): PATIENT launch by NHS number; time until the timeline holds a study
  from each of the three hospitals; then the current CT opened from the timeline and loaded, then 100 wheel
  events dispatched in the page on the viewport, each followed by a wait (one animation frame at a time)
  until the shown slice index has moved; frames/s = 100 / that time (bench/pageProbe.ts); then the prior CT (120 slices, another hospital) opened and loaded;
  then JS heap (DevTools \`Runtime.getHeapUsage\` after \`HeapProfiler.collectGarbage\`) and
  \`window.crossview.cacheBytes()\` (Cornerstone's image cache). The hanging-protocol time is not measured.
- **OHIF** (bench/ohif.ts, bench/ohifServer.ts): \`npm pack @ohif/app@3.12.10\` into the git-ignored
  \`bench/ohif/\`, its \`dist/app-config.js\` replaced by one DICOMweb source at \`/dicom-web\`, served with a
  same-origin proxy to the same Orthanc by a small Node server, opened at \`/viewer?StudyInstanceUIDs=<uid>\`.
  OHIF publishes no timing marks, so: first image = first poll (every 50 ms) where a \`canvas.cornerstone-canvas\`
  holds a non-black pixel; series complete = first poll where all 220 slices are in OHIF's Cornerstone image
  cache (\`window.cornerstone.cache\`) marked loaded, with OHIF's study prefetcher enabled in the config
  (it is off by default, and without it OHIF only loads slices near the one on screen). The ratio
  Crossview/OHIF uses the "Orthanc via gateway proxy" rows: same server, same series; below 1 means
  Crossview is faster.
- **Load** (bench/load.ts, bench/gatewayProcess.ts): the gateway alone in a child process with the three
  hospitals' config; 50 async loops in one Node process, each fetching a random CT frame through
  \`/sites/<site>/dicom-web/…/frames/1\` and reading it to the end, for ${input.loadSeconds} s. Latency per request;
  errors are non-200 answers or failed fetches; the gateway's RSS is sampled every 250 ms by the child itself.
  The load generator shares the 2 cores with the gateway and Orthanc, so throughput is a floor.
  Compare the throughput with the "floor" row of the Orthanc group (Orthanc's own rate for the same frames,
  6 in flight): when they are close, Orthanc (re-reading each file per frame) is the bottleneck, not the gateway.
`;
  writeFileSync(resolve('BENCHMARKS.md'), text);
}

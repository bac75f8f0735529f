/**
 * `npm run bench`: the benchmark harness. For now it measures the foundation's numbers on the
 * real stack (three Orthanc hospitals, gateway, Debian Chromium): time to the timeline and time to
 * first image / series complete of the demo CT, median of N runs with min and max. The full
 * benchmark suite (codecs, OHIF side by side, load) builds on this harness.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { startStack } from '../e2e/support/stack';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

interface Sample {
  timelineMs: number;
  firstImageMs: number;
  seriesCompleteMs: number;
}

function summarise(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median: Math.round(median), min: Math.round(sorted[0]!), max: Math.round(sorted[sorted.length - 1]!) };
}

async function main() {
  const stack = await startStack();
  try {
    const { manifest } = stack.hospitals;
    const ct = manifest.studies.find((s) => s.key === 'ct-current')!;
    const ctSeries = ct.series.find((s) => s.Modality === 'CT')!;
    const samples: Sample[] = [];
    const chromiumVersion = stack.browser.version();
    for (let run = 0; run < RUNS; run++) {
      // A fresh context per run: nothing cached in the browser between runs.
      const context = await stack.browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      const url = `${stack.gateway.url}/IHEInvokeImageDisplay?requestType=STUDY&studyUID=${ct.StudyInstanceUID}`;
      await page.goto(url);
      await page.locator(`[data-timeline-study="${ct.StudyInstanceUID}"]`).waitFor({ timeout: 60_000 });
      const timelineMs = await page.evaluate(() => performance.now());
      await page.waitForFunction((uid) => performance.getEntriesByName(`cv:series-complete:${uid}`).length > 0, ctSeries.SeriesInstanceUID, { timeout: 120_000 });
      const marks = await page.evaluate((uid) => ({
        first: performance.getEntriesByName('cv:first-image:vp-1')[0]?.startTime ?? NaN,
        complete: performance.getEntriesByName(`cv:series-complete:${uid}`)[0]?.startTime ?? NaN,
      }), ctSeries.SeriesInstanceUID);
      samples.push({ timelineMs, firstImageMs: marks.first, seriesCompleteMs: marks.complete });
      await context.close();
    }
    const rows = [
      { metric: 'timeline shown (STUDY launch)', ...summarise(samples.map((s) => s.timelineMs)) },
      { metric: `CT first image (${ctSeries.instanceCount} slices)`, ...summarise(samples.map((s) => s.firstImageMs)) },
      { metric: 'CT series complete', ...summarise(samples.map((s) => s.seriesCompleteMs)) },
    ];
    const machine = { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), chromium: chromiumVersion, gl: 'SwiftShader (software)' };
    console.log(`Crossview benchmarks — ${RUNS} runs, ${machine.cores} cores, ${machine.memoryGiB} GiB, Chromium ${machine.chromium}, ${machine.gl}`);
    console.log('| metric | median ms | min ms | max ms |\n|---|---:|---:|---:|');
    for (const row of rows) console.log(`| ${row.metric} | ${row.median} | ${row.min} | ${row.max} |`);
    const dir = resolve('bench/results');
    mkdirSync(dir, { recursive: true });
    const file = resolve(dir, `${new Date().toISOString().slice(0, 10)}.json`);
    writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), runs: RUNS, machine, rows, samples }, null, 2));
    console.log(`Results written to ${file}`);
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(`bench: ${(error as Error).message}`);
  process.exit(1);
});

#!/usr/bin/env node
/**
 * `npm test`: every suite, in the order that fails fastest.
 *   1. the Debian tools the suites need (installed through apt-get when root, see ensure-tools.mjs);
 *   2. typecheck and lint (npm run typecheck, npm run lint);
 *   3. the built app (the e2e suite serves `dist/`), rebuilt only when stale;
 *   4. vitest projects unit → integration → e2e, stopping at the first that fails.
 * Ends with a per-suite summary and the plain line `N passed, M failed` that CI reads.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAppIfStale, REPO_ROOT } from './app-build.mjs';

const SUITES = ['unit', 'integration', 'e2e'];
const TOOLS = ['orthanc', 'chromium', 'dcmtk', 'gdcm', 'openjph', 'postgresql', 'pydicom'];

const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Passed/failed counts from vitest's JSON report; a file that failed outside any test counts as one failure. */
function countResults(reportPath) {
  let report;
  try {
    report = JSON.parse(readFileSync(reportPath, 'utf8'));
  } catch {
    return undefined;
  }
  const erroredFiles = (report.testResults ?? []).filter(
    (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
  ).length;
  return { passed: report.numPassedTests ?? 0, failed: (report.numFailedTests ?? 0) + erroredFiles, skipped: report.numPendingTests ?? 0 };
}

/** Runs one vitest project with the default reporter on screen and a JSON report to count. */
function runSuite(name, reportDir) {
  const reportPath = join(reportDir, `${name}.json`);
  const args = ['run', '--project', name, '--reporter=default', '--reporter=json', `--outputFile.json=${reportPath}`];
  return new Promise((resolve) => {
    const child = spawn(join(REPO_ROOT, 'node_modules', '.bin', 'vitest'), args, { cwd: REPO_ROOT, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), counts: countResults(reportPath) }));
  });
}

async function main() {
  const started = Date.now();
  const tools = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'ensure-tools.mjs'), ...TOOLS], { stdio: 'inherit' });
  if (tools.status !== 0) return tools.status ?? 1;

  // Types and lint first: they fail in seconds where the suites take minutes.
  for (const [name, bin, args] of [
    ['typecheck', 'tsc', ['-p', 'tsconfig.json', '--noEmit']],
    ['lint', 'eslint', ['.']],
  ]) {
    const check = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', bin), args, { cwd: REPO_ROOT, stdio: 'inherit' });
    if (check.status !== 0) {
      console.error(`npm test: ${name} failed (npm run ${name})`);
      console.log('0 passed, 1 failed');
      return check.status ?? 1;
    }
  }

  if (!buildAppIfStale()) {
    console.error('npm test: vite build failed');
    console.log('0 passed, 1 failed');
    return 1;
  }

  // Ctrl-C reaches vitest directly (same process group); we wait for it to finish cleaning up.
  process.on('SIGINT', () => {});
  const reportDir = mkdtempSync(join(tmpdir(), 'crossview-test-report-'));
  const summary = [];
  const timings = [];
  let stoppedAt = '';
  let passed = 0;
  let failed = 0;
  let exitCode = 0;
  try {
    for (const suite of SUITES) {
      const suiteStarted = Date.now();
      const { code, counts } = await runSuite(suite, reportDir);
      const result = counts ?? { passed: 0, failed: code === 0 ? 0 : 1, skipped: 0 };
      passed += result.passed;
      failed += result.failed;
      summary.push(`${suite}: ${result.passed} passed${result.failed ? `, ${result.failed} failed` : ''}${result.skipped ? `, ${result.skipped} skipped` : ''}`);
      timings.push(`${suite} ${seconds(suiteStarted)}`);
      if (code !== 0) {
        // A non-zero exit with nothing counted as failed still fails the run.
        if (result.failed === 0) failed += 1;
        exitCode = code;
        const skipped = SUITES.slice(SUITES.indexOf(suite) + 1);
        stoppedAt = `\nstopped: the ${suite} suite failed${skipped.length ? `; not run: ${skipped.join(', ')}` : ''}`;
        break;
      }
    }
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }

  console.log(`\n${summary.join(', ')}${stoppedAt}\ntime: ${timings.join(', ')}; total ${seconds(started)}`);
  console.log(`${passed} passed, ${failed} failed`);
  return exitCode;
}

process.exitCode = await main();

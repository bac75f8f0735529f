/**
 * Builds the browser app with Vite when `dist/` is missing or older than its inputs, so
 * `npm start` and `npm test` always serve what is in `src/` without rebuilding every time.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Everything the built app depends on. */
const BUILD_INPUTS = ['src', 'public', 'index.html', 'vite.config.ts', 'package-lock.json', 'tsconfig.json'];

function newestMtime(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when `dist/index.html` is missing or older than any build input. */
export function appBuildIsStale(root = REPO_ROOT) {
  const built = newestMtime(join(root, 'dist', 'index.html'));
  if (built === 0) return true;
  return BUILD_INPUTS.some((input) => newestMtime(join(root, input)) > built);
}

/** Runs `vite build` if the app is stale; returns false when the build failed. */
export function buildAppIfStale(root = REPO_ROOT) {
  if (!appBuildIsStale(root)) return true;
  console.log('building the app (vite build) …');
  const result = spawnSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  return result.status === 0;
}

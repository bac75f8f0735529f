#!/usr/bin/env node
/**
 * `npm start`: builds the app if `dist/` is missing or stale, then runs the gateway
 * (`src/server/main.ts` through tsx). The gateway reads `PORT` (default 8080) and
 * `CROSSVIEW_CONFIG`, and runs the embedded demo hospitals when there is no config.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildAppIfStale, REPO_ROOT } from './app-build.mjs';

if (!buildAppIfStale()) {
  console.error('npm start: vite build failed');
  process.exit(1);
}

const gateway = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src', 'server', 'main.ts')], {
  cwd: REPO_ROOT,
  stdio: 'inherit',
  // Its own process group, so a terminal's Ctrl-C reaches it once (forwarded by us), not twice.
  detached: true,
});

// The gateway shuts down cleanly on these; we pass them on and exit with its status.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => gateway.kill(signal));
}
gateway.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 128 + ({ SIGINT: 2, SIGHUP: 1, SIGTERM: 15 }[signal] ?? 9) : 0));
});

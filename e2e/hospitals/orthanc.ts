/**
 * One Debian Orthanc started by hand (`/usr/sbin/Orthanc <config.json>`), never through systemd.
 *
 * Invariants:
 * - each instance owns its folder: `config.json`, `orthanc.log`, `storage/`, `index/`;
 * - it listens on a port found free on loopback and refuses non-loopback clients
 *   (`RemoteAccessAllowed: false`; Orthanc 1.10 has no bind-address option);
 * - `stop()` resolves only after the process has exited, because the SQLite index stays locked
 *   until then and a second Orthanc on the same folder would fail;
 * - every live instance is killed when this Node process exits or is interrupted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { openSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ORTHANC_BINARY = '/usr/sbin/Orthanc';
export const DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

const READY_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;

export interface OrthancInstance {
  readonly name: string;
  readonly port: number;
  readonly folder: string;
  readonly storageDir: string;
  readonly indexDir: string;
  readonly logPath: string;
  readonly baseUrl: string;
  isRunning(): boolean;
  /** Starts (or restarts) on the same port and storage; resolves once `GET /system` answers. */
  start(): Promise<void>;
  /** SIGTERM, SIGKILL after 5 s; resolves after the process has exited. */
  stop(): Promise<void>;
}

/** A TCP port nothing listens on right now (the kernel's choice for port 0 on 127.0.0.1). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('findFreePort: no port assigned'))));
    });
  });
}

function orthancConfig(name: string, port: number, storageDir: string, indexDir: string): Record<string, unknown> {
  return {
    Name: name,
    StorageDirectory: storageDir,
    IndexDirectory: indexDir,
    HttpPort: port,
    HttpServerEnabled: true,
    DicomServerEnabled: false,
    AuthenticationEnabled: false,
    RemoteAccessAllowed: false,
    StorageCompression: false,
    // Two cores on CI: a few threads answer the viewer's parallel frame requests without
    // starving the gateway and the browser that share the machine.
    ConcurrentJobs: 1,
    HttpThreadsCount: 8,
    Plugins: [DICOMWEB_PLUGIN],
    DicomWeb: { Enable: true, Root: '/dicom-web/', StudiesMetadata: 'Full', SeriesMetadata: 'Full' },
  };
}

const live = new Set<ChildProcess>();
let exitHooksInstalled = false;

/** No Orthanc outlives us: kill survivors on exit, and on Ctrl-C / SIGTERM when nobody else handles it. */
function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  const killAll = (signal: NodeJS.Signals): void => {
    for (const child of live) child.kill(signal);
  };
  process.on('exit', () => killAll('SIGKILL'));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      killAll('SIGTERM');
      // Our listener suppresses Node's default exit; restore it unless the program has its own.
      if (process.listenerCount(signal) === 1) process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function tailOf(logPath: string): Promise<string> {
  const text = await readFile(logPath, 'utf8').catch(() => '');
  return text.split('\n').slice(-8).join('\n');
}

/** Prepares the instance's folder and config; call `start()` to run it. */
export async function createOrthanc(options: { name: string; folder: string; port?: number }): Promise<OrthancInstance> {
  const { name, folder } = options;
  const storageDir = join(folder, 'storage');
  const indexDir = join(folder, 'index');
  const logPath = join(folder, 'orthanc.log');
  const configPath = join(folder, 'config.json');
  await mkdir(storageDir, { recursive: true });
  await mkdir(indexDir, { recursive: true });
  let port = options.port ?? (await findFreePort());
  let child: ChildProcess | undefined;
  let everStarted = false;

  // A name no other Orthanc has: readiness is only ours if /system answers with it (another run's
  // Orthanc may have taken the port between our probe and our bind).
  const uniqueName = `${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const writeConfig = () => writeFile(configPath, JSON.stringify(orthancConfig(uniqueName, port, storageDir, indexDir), null, 2));

  async function launch(): Promise<void> {
    await writeConfig();
    const log = openSync(logPath, 'a');
    const proc = spawn(ORTHANC_BINARY, [configPath], { stdio: ['ignore', log, log] });
    closeSync(log);
    child = proc;
    live.add(proc);
    proc.once('exit', () => live.delete(proc));
    const spawnError = new Promise<Error>((resolve) => proc.once('error', resolve));
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`createOrthanc: Orthanc "${name}" exited (${proc.exitCode ?? proc.signalCode}) while starting; log ${logPath}:\n${await tailOf(logPath)}`);
      }
      const failed = await Promise.race([spawnError, new Promise<undefined>((r) => setTimeout(r, 0, undefined))]);
      if (failed) throw new Error(`createOrthanc: cannot run ${ORTHANC_BINARY} (${failed.message}); install with: node scripts/ensure-tools.mjs orthanc`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/system`, { signal: AbortSignal.timeout(1000) });
        if (response.ok && ((await response.json()) as { Name?: string }).Name === uniqueName) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await stopChild(proc);
    throw new Error(`createOrthanc: Orthanc "${name}" not ready on port ${port} after ${READY_TIMEOUT_MS} ms; log ${logPath}:\n${await tailOf(logPath)}`);
  }

  async function stopChild(proc: ChildProcess): Promise<void> {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = waitForExit(proc);
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  installExitHooks();
  return {
    name,
    get port() {
      return port;
    },
    folder,
    storageDir,
    indexDir,
    logPath,
    get baseUrl() {
      return `http://127.0.0.1:${port}`;
    },
    isRunning: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) throw new Error(`OrthancInstance.start: "${name}" is already running`);
      try {
        await launch();
      } catch (error) {
        // The port may have been taken between our probe and Orthanc's bind: retry once on a new
        // one, but only on a first start with a port of our choosing (a restart keeps its URL).
        if (everStarted || options.port !== undefined) throw error;
        port = await findFreePort();
        await launch();
      }
      everStarted = true;
    },
    async stop() {
      if (child) await stopChild(child);
    },
  };
}

/**
 * `npx tsx src/server/main.ts` (what `npm start` runs after building the app).
 *   PORT              default 8080 (0 = any free port)
 *   HOST              default 127.0.0.1: only this machine can connect; set 0.0.0.0 to serve a network
 *   CROSSVIEW_CONFIG  path of crossview.config.json; else ./crossview.config.json; else the embedded demo
 *   CROSSVIEW_STATIC  the built app, default dist/
 *   DATABASE_URL      PostgreSQL for the patient index; else config patientIndex.path (JSON lines)
 * With no config, the demo patient's three hospitals are served from generated local folders.
 */
import { ensureDemoData } from '../demo/index';
import type { CrossviewConfig } from '../contracts/index';
import { loadConfig, resolveConfigPath } from './config';
import { DemoAccount, demoConfig } from './demoConfig';
import { startGateway } from './gateway';

async function main(): Promise<void> {
  const configPath = resolveConfigPath(process.env, process.cwd());
  let config: CrossviewConfig;
  let demoPatient: { nhsNumber: string } | undefined;
  let demoAccount: { username: string; password: string } | undefined;
  if (configPath) {
    const loaded = loadConfig(configPath);
    if (!loaded.ok) {
      console.error(`Crossview cannot start: ${configPath} has problems:`);
      for (const line of loaded.errors) console.error(`  ${line}`);
      process.exit(1);
    }
    config = loaded.config;
    console.log(`Crossview: using ${configPath} (${config.sites.length} site(s))`);
  } else {
    console.log('Crossview: no crossview.config.json, starting the embedded demo (three simulated hospitals)…');
    const { manifest, dir } = await ensureDemoData();
    config = demoConfig(manifest, dir);
    demoPatient = manifest.patient;
    demoAccount = DemoAccount;
  }
  const port = process.env.PORT === undefined || process.env.PORT === '' ? 8080 : Number(process.env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Crossview cannot start: PORT must be a port number, not "${process.env.PORT}"`);
    process.exit(1);
  }
  const host = process.env.HOST || '127.0.0.1';
  const gateway = await startGateway({
    config,
    port,
    host,
    staticDir: process.env.CROSSVIEW_STATIC || 'dist',
    patientIndex: { persist: true, startIndexer: true },
    ...(demoAccount ? { demoAccount } : {}),
  });
  const shown = `http://localhost:${gateway.port}`;
  // Only the synthetic demo patient's NHS number is ever printed.
  const issuer = config.identity.nationalIdIssuer;
  console.log(
    demoPatient
      ? `Crossview is running at ${shown}/IHEInvokeImageDisplay?requestType=PATIENT&patientID=${demoPatient.nhsNumber}^^^${issuer}`
      : `Crossview is running at ${shown}/`,
  );
  if (demoAccount) console.log(`Demo sign-in: username "${demoAccount.username}", password "${demoAccount.password}" (the embedded demo only)`);
  const stop = () => {
    gateway.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`Crossview failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

/**
 * `npm run hospitals`: the three test hospitals (real Orthanc servers with the demo patient) for
 * working by hand. Writes a gateway config pointing at them to
 * `.cache/hospitals/crossview.config.json`, prints how to use it, and runs until Ctrl-C.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { HOSPITALS_CACHE_DIR, startHospitals } from '../e2e/hospitals/index';

async function main(): Promise<void> {
  console.log('starting the test hospitals (the first run generates the demo data and loads it through STOW-RS) …');
  const hospitals = await startHospitals();

  let stopping: Promise<void> | undefined;
  const shutdown = (): void => {
    stopping ??= hospitals.stop().then(
      () => {
        console.log('hospitals stopped');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  const configPath = join(HOSPITALS_CACHE_DIR, 'crossview.config.json');
  await mkdir(HOSPITALS_CACHE_DIR, { recursive: true });
  await writeFile(configPath, `${JSON.stringify(hospitals.config, null, 2)}\n`);

  for (const site of hospitals.sites) {
    console.log(`  ${site.name.padEnd(32)} ${site.dicomwebUrl}   (site id ${site.siteId}, log ${site.logPath})`);
  }
  console.log(`\ngateway config: ${configPath}`);
  console.log(`run the gateway against these hospitals with:\n  CROSSVIEW_CONFIG=${relative(process.cwd(), configPath)} npm start`);
  console.log('\nCtrl-C stops the hospitals.');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

/**
 * `npx tsx src/demo/cli.ts [--seed N] [--out DIR] [--syntax NAME]`: writes the demo patient
 * and prints where, with file counts per site (no patient details: the output may end up in logs).
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DefaultSeed, generateDemo, isTransferSyntaxName, transcodeFolder, TransferSyntaxNames } from './index';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { seed: { type: 'string' }, out: { type: 'string' }, syntax: { type: 'string' } },
  });
  const seed = values.seed === undefined ? DefaultSeed : Number(values.seed);
  if (!Number.isSafeInteger(seed)) {
    console.error(`--seed must be an integer, got ${values.seed}`);
    return 2;
  }
  if (values.syntax !== undefined && !isTransferSyntaxName(values.syntax)) {
    console.error(`--syntax must be one of: ${TransferSyntaxNames.join(', ')}`);
    return 2;
  }
  const outDir = resolve(values.out ?? join('.cache', 'demo', `seed-${seed}`));
  const started = performance.now();
  const manifest = await generateDemo({ seed, outDir });
  console.log(`Demo (seed ${seed}) written to ${outDir} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (const site of manifest.sites) {
    const files = (await readdir(join(outDir, site.folder))).filter((f) => f.endsWith('.dcm')).length;
    const studies = manifest.studies.filter((s) => s.siteKey === site.key).length;
    console.log(`  ${site.siteId} (${site.name}): ${studies} studies, ${files} files`);
  }
  if (values.syntax !== undefined && isTransferSyntaxName(values.syntax) && values.syntax !== 'explicit-le') {
    const target = `${outDir}-${values.syntax}`;
    const result = await transcodeFolder(outDir, target, values.syntax);
    if (result.kind !== 'ok') {
      console.error(`Transcoding failed: ${result.message}`);
      return 1;
    }
    console.log(`Transcoded to ${values.syntax} in ${target}: ${result.converted} converted, ${result.copied} copied, ${result.unsupported.length} left unchanged`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

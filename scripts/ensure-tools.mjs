#!/usr/bin/env node
/**
 * Makes sure the Debian tools the test suites use are installed:
 *   node scripts/ensure-tools.mjs orthanc chromium dcmtk gdcm openjph postgresql pydicom
 *
 * Missing tools are installed with apt-get when we run as root (CI containers); otherwise the
 * script stops with one line naming the packages to install. Plain Node with no dependencies, so
 * it works before anything else of the project does.
 *
 * Orthanc's package would start a system-wide instance on port 8042; the tests never use it (they
 * start their own on free ports), so service start-up is blocked during the install and the
 * service is disabled afterwards where systemd runs.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where Debian's python3-pydicom puts pydicom's test files (e2e/conformance.e2e.test.ts reads them there). */
const PYDICOM_TEST_FILES = '/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small.dcm';

/** Tool name on the command line → files that prove it is installed, and the packages that bring them. */
const TOOLS = {
  orthanc: {
    files: ['/usr/sbin/Orthanc', '/usr/share/orthanc/plugins/libOrthancDicomWeb.so'],
    packages: ['orthanc', 'orthanc-dicomweb'],
  },
  chromium: {
    files: ['/usr/lib/chromium/chromium', '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'],
    packages: ['chromium', 'fonts-dejavu-core'],
  },
  dcmtk: { commands: ['dcmcjpeg', 'dcmcjpls', 'dcmcrle'], packages: ['dcmtk'] },
  gdcm: { commands: ['gdcmconv'], packages: ['libgdcm-tools'] },
  openjph: { commands: ['ojph_compress'], packages: ['openjph-tools'] },
  // The patient index tests start a throwaway cluster with the versioned server binaries.
  postgresql: { check: () => postgresBinDirs().length > 0, packages: ['postgresql'] },
  // Only for its test files (other vendors' real DICOM) that the conformance e2e suite reads.
  pydicom: { files: [PYDICOM_TEST_FILES], packages: ['python3-pydicom'] },
};

/** `/usr/lib/postgresql/<version>/bin` folders that hold initdb and pg_ctl. */
function postgresBinDirs() {
  let versions = [];
  try {
    versions = readdirSync('/usr/lib/postgresql');
  } catch {
    return [];
  }
  return versions.map((v) => `/usr/lib/postgresql/${v}/bin`).filter((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}
/** Package names are accepted as tool names too (`orthanc-dicomweb`, `libgdcm-tools`, …). */
const ALIASES = { 'orthanc-dicomweb': 'orthanc', 'libgdcm-tools': 'gdcm', 'openjph-tools': 'openjph', 'python3-pydicom': 'pydicom' };

function onPath(command) {
  return (process.env.PATH ?? '/usr/bin:/bin').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function isInstalled(tool) {
  const spec = TOOLS[tool];
  return (spec.files ?? []).every((file) => existsSync(file)) && (spec.commands ?? []).every(onPath) && (spec.check?.() ?? true);
}

function missingPackages(tools) {
  return [...new Set(tools.filter((tool) => !isInstalled(tool)).flatMap((tool) => TOOLS[tool].packages))];
}

function run(command, args) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    process.stderr.write(result.stdout ?? '');
    process.stderr.write(result.stderr ?? '');
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  }
}

/** Blocks service start-up (invoke-rc.d / deb-systemd-invoke honour policy-rc.d) unless a policy exists. */
function withServicesBlocked(action) {
  const policy = '/usr/sbin/policy-rc.d';
  const ours = !existsSync(policy);
  if (ours) writeFileSync(policy, '#!/bin/sh\n# written by crossview scripts/ensure-tools.mjs during apt-get install\nexit 101\n', { mode: 0o755 });
  try {
    action();
  } finally {
    if (ours) unlinkSync(policy);
  }
}

function install(packages) {
  console.log(`ensure-tools: installing ${packages.join(' ')} with apt-get`);
  withServicesBlocked(() => {
    run('apt-get', ['-qq', 'update']);
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages]);
  });
  // The packaged Orthanc service is not ours to use (port 8042, shared storage): if a pre-existing
  // policy let it start, stop it, and where systemd runs keep it from starting at boot.
  if (packages.includes('orthanc')) {
    if (existsSync('/run/systemd/system')) spawnSync('systemctl', ['disable', '--now', 'orthanc'], { stdio: 'ignore' });
    else if (existsSync('/etc/init.d/orthanc')) spawnSync('/etc/init.d/orthanc', ['stop'], { stdio: 'ignore' });
  }
}

function main(argv) {
  const requested = argv.map((name) => ALIASES[name] ?? name);
  const unknown = requested.filter((name) => !(name in TOOLS));
  if (requested.length === 0 || unknown.length > 0) {
    console.error(`usage: node scripts/ensure-tools.mjs ${Object.keys(TOOLS).join('|')} ...${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
    return 2;
  }
  const missing = missingPackages(requested);
  if (missing.length === 0) return 0;
  const canInstall = process.getuid?.() === 0 && onPath('apt-get');
  if (canInstall) {
    try {
      install(missing);
    } catch (error) {
      console.error(`ensure-tools: ${error.message}`);
    }
    const stillMissing = missingPackages(requested);
    if (stillMissing.length === 0) return 0;
    missing.splice(0, missing.length, ...stillMissing);
  }
  const list = missing.join(' ');
  console.error(`Crossview tests need Debian packages: ${list} — install them with: sudo apt-get install -y ${list}`);
  return 1;
}

process.exitCode = main(process.argv.slice(2));

/**
 * transcodeFolder: copies a demo folder into another transfer syntax with Debian's codecs, for
 * the test harness. Compressed input is first made native; files that hold no pixels (SR, PDF,
 * RTSTRUCT) or that the target cannot carry (8-bit-only JPEG baseline for 12-bit CT) are copied
 * unchanged and listed. Every written file is re-read with dcmjs and its (0002,0010) checked.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { DemoManifest } from './manifest';
import { decodeHtj2kFile, encodeHtj2kFile, numberOf, readDicomDict, type StepOutcome } from './htj2k';
import { missingTool, runTool, toolAvailable } from './tools';
import { LossyTransferSyntaxes, NativeTransferSyntaxUIDs, TransferSyntaxes, type LossyTransferSyntaxName, type TransferSyntaxName } from './transferSyntaxes';

/** What a folder can be transcoded to: a demo syntax, or a lossy one for tolerance tests. */
export type TranscodeTarget = TransferSyntaxName | LossyTransferSyntaxName;

const Targets = { ...TransferSyntaxes, ...LossyTransferSyntaxes };

function uidOf(target: TranscodeTarget): string {
  return Targets[target].uid;
}

/** Settings behind the tolerances stated in `LossyTransferSyntaxes`. */
const J2kLossyRate = '20';
const Htj2kLossyQstep = 0.001;

export type TranscodeResult =
  | {
      kind: 'ok';
      syntax: TranscodeTarget;
      transferSyntaxUID: string;
      converted: number;
      /** Files copied as they were: no pixel data, or already in the target syntax. */
      copied: number;
      /** Images the target cannot carry; copied unchanged. Paths relative to outDir. */
      unsupported: { file: string; reason: string }[];
    }
  | { kind: 'tool-missing'; tool: string; debianPackage: string; message: string }
  | { kind: 'failed'; file: string; message: string };

const ToolsFor: Record<TranscodeTarget, string[]> = {
  'explicit-le': ['dcmconv'],
  rle: ['dcmcrle'],
  'jpeg-baseline': ['dcmcjpeg'],
  'jpeg-lossless-sv1': ['dcmcjpeg'],
  'jpeg-ls-lossless': ['dcmcjpls'],
  'j2k-lossless': ['gdcmconv'],
  'htj2k-lossless': ['ojph_compress'],
  deflated: ['dcmconv'],
  'j2k-lossy': ['gdcmconv'],
  'htj2k-lossy': ['ojph_compress'],
};

/** How to make a compressed file native again, by its transfer syntax UID. */
function decoderFor(uid: string): { tool: string; args: (i: string, o: string) => string[] } | 'htj2k' | undefined {
  if (NativeTransferSyntaxUIDs.has(uid)) return undefined;
  if (uid === TransferSyntaxes.deflated.uid) return { tool: 'dcmconv', args: (i, o) => ['+te', i, o] };
  if (uid === TransferSyntaxes.rle.uid) return { tool: 'dcmdrle', args: (i, o) => [i, o] };
  if (/^1\.2\.840\.10008\.1\.2\.4\.(5\d|6\d|70)$/.test(uid)) return { tool: 'dcmdjpeg', args: (i, o) => [i, o] };
  if (uid === '1.2.840.10008.1.2.4.80' || uid === '1.2.840.10008.1.2.4.81') return { tool: 'dcmdjpls', args: (i, o) => [i, o] };
  if (/^1\.2\.840\.10008\.1\.2\.4\.20[123]$/.test(uid)) return 'htj2k';
  return { tool: 'gdcmconv', args: (i, o) => ['--raw', i, o] };
}

async function encode(syntax: TranscodeTarget, native: string, out: string, work: string, stem: string, bitsAllocated: number): Promise<StepOutcome> {
  const run = async (tool: string, args: string[]): Promise<StepOutcome> => {
    const r = await runTool(tool, args);
    return r.kind === 'ok' ? { kind: 'ok' } : r;
  };
  switch (syntax) {
    case 'explicit-le':
      return run('dcmconv', ['+te', native, out]);
    case 'rle':
      return run('dcmcrle', [native, out]);
    case 'jpeg-baseline':
      if (bitsAllocated !== 8) return { kind: 'unsupported', reason: 'JPEG baseline carries 8-bit samples only' };
      // +sr: scale by the 8-bit range, i.e. not at all. DCMTK's default (+sp) stretches the
      // image's own min..max over the range, which changes every stored value.
      return run('dcmcjpeg', ['+eb', '+sr', native, out]);
    case 'jpeg-lossless-sv1':
      return run('dcmcjpeg', ['+e1', native, out]);
    case 'jpeg-ls-lossless':
      return run('dcmcjpls', ['+el', native, out]);
    case 'j2k-lossless':
      return run('gdcmconv', ['--j2k', native, out]);
    case 'htj2k-lossless':
      return encodeHtj2kFile(native, out, work, stem);
    case 'deflated':
      return run('dcmconv', ['+td', native, out]);
    case 'j2k-lossy':
      return run('gdcmconv', ['--j2k', '--lossy', '--irreversible', '-r', J2kLossyRate, native, out]);
    case 'htj2k-lossy':
      return encodeHtj2kFile(native, out, work, stem, { qstep: Htj2kLossyQstep });
  }
}

/** Makes a native copy of `file` in the work folder if needed; returns its path. */
async function nativeOf(file: string, uid: string, work: string, stem: string): Promise<{ path: string } | StepOutcome> {
  const decoder = decoderFor(uid);
  if (decoder === undefined) return { path: file };
  const path = join(work, `${stem}.native.dcm`);
  if (decoder === 'htj2k') {
    const r = await decodeHtj2kFile(file, path, work, `${stem}.in`);
    return r.kind === 'ok' ? { path } : r;
  }
  const r = await runTool(decoder.tool, decoder.args(file, path));
  return r.kind === 'ok' ? { path } : r;
}

type FileOutcome =
  | { kind: 'converted'; seriesUid: string; uid: string }
  | { kind: 'copied'; seriesUid: string; uid: string }
  | { kind: 'unsupported'; reason: string; seriesUid: string; uid: string }
  | { kind: 'skipped' }
  | Exclude<StepOutcome, { kind: 'ok' } | { kind: 'unsupported' }>;

async function transcodeFile(syntax: TranscodeTarget, file: string, out: string, work: string, stem: string): Promise<FileOutcome> {
  const head = await readFile(file);
  if (head.length < 132 || head.toString('latin1', 128, 132) !== 'DICM') {
    await copyFile(file, out);
    return { kind: 'skipped' };
  }
  const dict = await readDicomDict(file);
  const uid = String(dict.meta['00020010']?.Value?.[0] ?? '');
  const seriesUid = String(dict.dict['0020000E']?.Value?.[0] ?? '');
  const target = uidOf(syntax);
  if (!dict.dict['7FE00010'] || uid === target) {
    await copyFile(file, out);
    return { kind: 'copied', seriesUid, uid };
  }
  const native = await nativeOf(file, uid, work, stem);
  if (!('path' in native)) {
    if (native.kind === 'ok') throw new Error('transcodeFile: native step gave no path');
    if (native.kind !== 'unsupported') return native;
    await copyFile(file, out);
    return { ...native, seriesUid, uid };
  }
  const encoded = await encode(syntax, native.path, out, work, stem, numberOf(dict, '00280100') ?? 16);
  if (encoded.kind === 'unsupported') {
    await copyFile(file, out);
    return { ...encoded, seriesUid, uid };
  }
  if (encoded.kind !== 'ok') return encoded;
  const written = await readDicomDict(out);
  const writtenUid = written.meta['00020010']?.Value?.[0];
  if (writtenUid !== target) return { kind: 'failed', tool: 'verify', message: `${out}: wrote ${String(writtenUid)}, wanted ${target}` };
  if (!written.dict['7FE00010']) return { kind: 'failed', tool: 'verify', message: `${out}: pixel data lost` };
  return { kind: 'converted', seriesUid, uid: target };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}

/** Rewrites a manifest's per-series transfer syntax to what the transcoded files hold. */
function updateManifest(manifest: DemoManifest, seriesSyntax: Map<string, Set<string>>): DemoManifest {
  for (const study of manifest.studies) {
    for (const series of study.series) {
      const uids = seriesSyntax.get(series.SeriesInstanceUID);
      if (uids?.size === 1) series.transferSyntaxUID = [...uids][0] ?? series.transferSyntaxUID;
    }
  }
  return manifest;
}

/**
 * @example
 * const result = await transcodeFolder(dir, `${dir}-rle`, 'rle');
 * if (result.kind === 'tool-missing') console.error(result.message);
 */
export async function transcodeFolder(inDir: string, outDir: string, syntax: TranscodeTarget): Promise<TranscodeResult> {
  for (const tool of ToolsFor[syntax]) if (!(await toolAvailable(tool))) return missingTool(tool);
  const files = (await listFiles(inDir)).filter((f) => relative(inDir, f) !== 'manifest.json');
  const work = await mkdtemp(join(tmpdir(), 'crossview-transcode-'));
  const seriesSyntax = new Map<string, Set<string>>();
  const result = { converted: 0, copied: 0, unsupported: [] as { file: string; reason: string }[] };
  let failure: TranscodeResult | undefined;
  try {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (!failure && next < files.length) {
        const index = next++;
        const file = files[index] ?? '';
        const rel = relative(inDir, file);
        const out = join(outDir, rel);
        await mkdir(dirname(out), { recursive: true });
        const outcome = await transcodeFile(syntax, file, out, work, `f${index}`);
        if (outcome.kind === 'tool-missing') failure = outcome;
        else if (outcome.kind === 'failed') failure = { kind: 'failed', file: rel, message: outcome.message };
        else if (outcome.kind !== 'skipped') {
          if (outcome.kind === 'converted') result.converted++;
          else if (outcome.kind === 'copied') result.copied++;
          else result.unsupported.push({ file: rel, reason: outcome.reason });
          const set = seriesSyntax.get(outcome.seriesUid) ?? new Set<string>();
          set.add(outcome.uid);
          seriesSyntax.set(outcome.seriesUid, set);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, worker));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  if (failure) return failure;
  const manifestText = await readFile(join(inDir, 'manifest.json'), 'utf8').catch(() => undefined);
  if (manifestText !== undefined) {
    const manifest = updateManifest(JSON.parse(manifestText) as DemoManifest, seriesSyntax);
    await writeFile(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  }
  result.unsupported.sort((a, b) => a.file.localeCompare(b.file));
  return { kind: 'ok', syntax, transferSyntaxUID: uidOf(syntax), ...result };
}

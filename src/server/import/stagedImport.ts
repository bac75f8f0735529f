/**
 * One import of a local study: its plan, its staging folder on disk and its commit. Instances are
 * checked against the plan (same study, same patient as the files said, the SOP the path names),
 * coerced to the site's identity and written to disk, so memory holds one instance at a time and
 * nothing reaches the site before the commit. The commit stores every staged instance and reports
 * each one; what landed stays listed, and staging is kept until everything has landed.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import type { ImportInstanceResult, ImportMatch, ImportPlan, ImportResult } from '../../contracts/index';
import { coerceIdentity, type Outcome, type TransferSites } from '../transfer/index';
import type { SourcePatient } from './reconcile';

export interface StagedImportOptions {
  plan: ImportPlan;
  source: SourcePatient;
  instanceCount: number;
  folder: string;
  nationalIdIssuer: string;
  /** Instances stored at once during the commit. */
  concurrency: number;
}

interface Staged {
  file: string;
  SeriesInstanceUID: string;
  stored: boolean;
  reason?: string;
}

export interface StagedImport {
  readonly plan: ImportPlan;
  readonly instanceCount: number;
  stagedCount(): number;
  /** Checks, coerces and writes one instance; a value says why it was refused. */
  stage(SOPInstanceUID: string, bytes: Uint8Array): Promise<Outcome<number>>;
  /** Stores every staged instance not yet stored; `committing` while it runs. */
  commit(sites: TransferSites, siteName: string): Promise<ImportResult>;
  readonly committing: boolean;
  discard(): Promise<void>;
}

function header(bytes: Uint8Array): Outcome<dicomParser.DataSet> {
  try {
    return { ok: true, value: dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' }) };
  } catch (error) {
    return { ok: false, error: `not a readable DICOM file (${typeof error === 'string' ? error : error instanceof Error ? error.message : 'unknown reason'})` };
  }
}

const clean = (value: string | undefined) => (value ?? '').trim();

export function createStagedImport(options: StagedImportOptions): StagedImport {
  const { plan, source } = options;
  const staged = new Map<string, Staged>();
  let committing = false;
  let counter = 0;
  const match = plan.match as Exclude<ImportMatch, { basis: 'none' }>;

  async function stage(SOPInstanceUID: string, bytes: Uint8Array): Promise<Outcome<number>> {
    const read = header(bytes);
    if (!read.ok) return read;
    const dataset = read.value;
    if (clean(dataset.string('x00080018')) !== SOPInstanceUID) return { ok: false, error: 'the file is not the instance its path names' };
    if (clean(dataset.string('x0020000d')) !== plan.StudyInstanceUID) return { ok: false, error: 'the file belongs to another study than this import' };
    // Every instance must be the patient the plan was made for: a CD can mix patients.
    if (clean(dataset.string('x00100020')) !== source.PatientID || clean(dataset.string('x00100021')) !== source.IssuerOfPatientID) {
      return { ok: false, error: 'the file names another patient than the study this import was planned for' };
    }
    const SeriesInstanceUID = clean(dataset.string('x0020000e'));
    let coerced: ArrayBuffer;
    try {
      const copy = bytes.slice().buffer;
      coerced = coerceIdentity(
        copy,
        {
          PatientID: match.PatientID,
          IssuerOfPatientID: match.IssuerOfPatientID,
          nationalId: match.nationalId ?? '',
          nationalIdIssuer: options.nationalIdIssuer,
          previousSource: source.IssuerOfPatientID ? `Local files (${source.IssuerOfPatientID})` : 'Local files',
          demographics: { PatientName: match.PatientName, PatientBirthDate: match.PatientBirthDate, PatientSex: match.PatientSex },
        },
        new Date(),
      );
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : 'the file could not be rewritten' };
    }
    const previous = staged.get(SOPInstanceUID);
    const file = previous?.file ?? join(options.folder, `${++counter}.dcm`);
    await writeFile(file, new Uint8Array(coerced));
    staged.set(SOPInstanceUID, { file, SeriesInstanceUID, stored: false });
    return { ok: true, value: staged.size };
  }

  function result(siteName: string): ImportResult {
    const instances: ImportInstanceResult[] = [...staged].map(([SOPInstanceUID, entry]) => ({
      SOPInstanceUID,
      SeriesInstanceUID: entry.SeriesInstanceUID,
      outcome: entry.stored ? 'stored' : 'failed',
      ...(entry.stored || !entry.reason ? {} : { reason: entry.reason }),
    }));
    const stored = instances.filter((i) => i.outcome === 'stored').length;
    const failed = instances.length - stored;
    const note =
      failed === 0
        ? undefined
        : stored === 0
          ? `Nothing was stored at ${siteName}.`
          : `${stored} of ${instances.length} instances were stored at ${siteName} before the failure and stay there (its DICOMweb service offers no delete): commit again to store the rest, or discard and ask ${siteName} to remove them.`;
    return {
      id: plan.id,
      toSiteId: plan.toSiteId,
      StudyInstanceUID: plan.StudyInstanceUID,
      state: failed === 0 ? 'done' : 'failed',
      total: instances.length,
      stored,
      failed,
      ...(note ? { note } : {}),
      instances,
    };
  }

  async function commit(sites: TransferSites, siteName: string): Promise<ImportResult> {
    committing = true;
    try {
      const queue = [...staged].filter(([, entry]) => !entry.stored);
      const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const [SOPInstanceUID, entry] = next;
          const bytes = await readFile(entry.file);
          const answer = await sites.store(plan.toSiteId, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), SOPInstanceUID);
          entry.stored = answer.ok;
          entry.reason = answer.ok ? undefined : answer.error;
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
      return result(siteName);
    } finally {
      committing = false;
    }
  }

  return {
    plan,
    instanceCount: options.instanceCount,
    stagedCount: () => staged.size,
    stage,
    commit,
    get committing() {
      return committing;
    },
    async discard() {
      staged.clear();
      await rm(options.folder, { recursive: true, force: true });
    },
  };
}

/** Creates the staging folder of one import. */
export async function stagingFolder(root: string, id: string): Promise<string> {
  const folder = join(root, id);
  await mkdir(folder, { recursive: true });
  return folder;
}

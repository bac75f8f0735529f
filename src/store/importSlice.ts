/**
 * "Import to…": the dialog's state for storing a local study (a CD, a folder) at a hospital.
 * The gateway decides who the study is filed as there (the plan) and refuses a person it cannot
 * match; this slice shows the match and the attribute changes, waits for the user's confirmation
 * (a name-and-birth-date match must be confirmed explicitly), stages the files' bytes two at a
 * time, then commits. A failure while staging discards the staging, so the site holds nothing;
 * a failure during the commit is listed per instance and can be committed again.
 * Late answers for an import that is no longer on screen are dropped (`revision`).
 */
import type { StateCreator } from 'zustand';
import type { DicomJsonDataset, ImportPlan, ImportResult } from '../contracts/index';
import type { LocalStudy } from '../localFiles/index';
import { commitImport, discardImport, planImport, stageImportInstance } from '../sites/index';
import { localStudies } from './localFilesSlice';
import type { CrossviewState } from './store';

export type ImportStep =
  | { kind: 'choose' }
  | { kind: 'planning'; toSiteId: string }
  /** No import possible at this site: the gateway's reason. */
  | { kind: 'refused'; toSiteId: string; message: string }
  | { kind: 'planned'; toSiteId: string; plan: ImportPlan; confirmed: boolean }
  | { kind: 'staging'; toSiteId: string; plan: ImportPlan; done: number; total: number }
  | { kind: 'committing'; toSiteId: string; plan: ImportPlan }
  | { kind: 'done'; toSiteId: string; plan: ImportPlan; result: ImportResult }
  /** `result` when the commit ran and some instances did not land; staging is kept for another commit. */
  | { kind: 'failed'; toSiteId: string; plan: ImportPlan; message: string; failedFiles: { path: string; reason: string }[]; result?: ImportResult };

export type ImportDialogState = { kind: 'closed' } | { kind: 'open'; StudyInstanceUID: string; step: ImportStep };

export interface ImportState {
  importDialog: ImportDialogState;
}

export interface ImportActions {
  openImport(StudyInstanceUID: string): void;
  /** Picks the site and asks the gateway who the patient is there. */
  chooseImportSite(toSiteId: string): Promise<void>;
  /** The user says the proposed patient is (or is not) the person in the files. */
  confirmImportMatch(confirmed: boolean): void;
  /** Stages every instance, then stores them at the site. */
  startImport(): Promise<void>;
  /** Stores the instances a failed commit left behind. */
  commitImportAgain(): Promise<void>;
  /** Closes the dialog; an unfinished import's staging is discarded at the gateway. */
  closeImport(): void;
}

export type ImportSlice = ImportState & ImportActions;

/** Files in flight while staging. */
const StagingConcurrency = 2;

/** The patient module (group 0010) of the study's first instance, as the gateway expects it. */
function patientModuleOf(study: LocalStudy): DicomJsonDataset {
  const first = study.series.flatMap((s) => s.instances)[0];
  const module: DicomJsonDataset = {};
  for (const [tag, element] of Object.entries(first?.metadata ?? {})) {
    if (tag.startsWith('0010') && element) module[tag] = { vr: element.vr, ...(element.Value ? { Value: element.Value } : {}) };
  }
  return module;
}

const stagingId = (step: ImportStep) => ('plan' in step && step.plan ? step.plan.id : undefined);

export const createImportSlice =
  (origin: string): StateCreator<CrossviewState, [], [], ImportSlice> =>
  (set, get) => {
    let revision = 0;
    const step = () => {
      const dialog = get().importDialog;
      return dialog.kind === 'open' ? dialog.step : undefined;
    };
    const setStep = (at: number, next: ImportStep) => {
      const dialog = get().importDialog;
      if (at !== revision || dialog.kind !== 'open') return;
      set({ importDialog: { ...dialog, step: next } });
    };
    const studyOf = (StudyInstanceUID: string) => localStudies(get()).find((s) => s.StudyInstanceUID === StudyInstanceUID);

    async function commit(at: number, toSiteId: string, plan: ImportPlan): Promise<void> {
      if (plan.match.basis === 'none') return;
      setStep(at, { kind: 'committing', toSiteId, plan });
      const answer = await commitImport(origin, plan.id, plan.match.basis);
      if (answer.kind !== 'ok') {
        setStep(at, { kind: 'failed', toSiteId, plan, message: answer.message, failedFiles: [] });
        return;
      }
      const result = answer.value;
      if (result.state === 'done') {
        setStep(at, { kind: 'done', toSiteId, plan, result });
        // The patient on screen gets the imported study in their timeline, under its hospital.
        const query = get().query;
        if (query) void get().openPatient(query);
        return;
      }
      setStep(at, { kind: 'failed', toSiteId, plan, message: `${result.failed} of ${result.total} instances were not stored.`, failedFiles: [], result });
    }

    return {
      importDialog: { kind: 'closed' },
      openImport(StudyInstanceUID) {
        get().closeImport();
        revision++;
        set({ importDialog: { kind: 'open', StudyInstanceUID, step: { kind: 'choose' } } });
      },
      async chooseImportSite(toSiteId) {
        const dialog = get().importDialog;
        const current = step();
        if (dialog.kind !== 'open' || !current || !['choose', 'refused', 'planned'].includes(current.kind)) return;
        const study = studyOf(dialog.StudyInstanceUID);
        if (!study) return;
        const previous = stagingId(current);
        if (previous) void discardImport(origin, previous);
        const at = ++revision;
        setStep(at, { kind: 'planning', toSiteId });
        const answer = await planImport(origin, {
          toSiteId,
          StudyInstanceUID: study.StudyInstanceUID,
          patient: patientModuleOf(study),
          instanceCount: study.series.reduce((sum, s) => sum + s.instances.length, 0),
        });
        if (answer.kind !== 'ok') return setStep(at, { kind: 'refused', toSiteId, message: answer.message });
        const { match } = answer.value;
        if (match.basis === 'none') return setStep(at, { kind: 'refused', toSiteId, message: match.reason });
        setStep(at, { kind: 'planned', toSiteId, plan: answer.value, confirmed: false });
      },
      confirmImportMatch(confirmed) {
        const current = step();
        if (current?.kind !== 'planned') return;
        setStep(revision, { ...current, confirmed });
      },
      async startImport() {
        const dialog = get().importDialog;
        const current = step();
        if (dialog.kind !== 'open' || current?.kind !== 'planned' || !current.confirmed) return;
        const study = studyOf(dialog.StudyInstanceUID);
        if (!study) return;
        const { toSiteId, plan } = current;
        const at = ++revision;
        const instances = study.series.flatMap((s) => s.instances);
        let done = 0;
        const failedFiles: { path: string; reason: string }[] = [];
        setStep(at, { kind: 'staging', toSiteId, plan, done, total: instances.length });
        const queue = [...instances];
        const worker = async () => {
          for (let next = queue.shift(); next && failedFiles.length === 0 && at === revision; next = queue.shift()) {
            const answer = await stageImportInstance(origin, plan.id, next.identity.SOPInstanceUID, next.bytes);
            if (answer.kind !== 'ok') failedFiles.push({ path: next.path, reason: answer.message });
            else setStep(at, { kind: 'staging', toSiteId, plan, done: ++done, total: instances.length });
          }
        };
        await Promise.all(Array.from({ length: StagingConcurrency }, worker));
        if (at !== revision) return;
        if (failedFiles.length > 0) {
          // Nothing reached the site: drop what was staged.
          void discardImport(origin, plan.id);
          setStep(at, { kind: 'failed', toSiteId, plan, message: 'A file could not be staged, so nothing was stored at the site.', failedFiles });
          return;
        }
        await commit(at, toSiteId, plan);
      },
      async commitImportAgain() {
        const current = step();
        if (current?.kind !== 'failed' || !current.result) return;
        await commit(++revision, current.toSiteId, current.plan);
      },
      closeImport() {
        const current = step();
        revision++;
        // A committed import's staging is gone; any other is discarded (a running commit refuses and finishes alone).
        const id = current && current.kind !== 'done' ? stagingId(current) : undefined;
        if (id) void discardImport(origin, id);
        set({ importDialog: { kind: 'closed' } });
      },
    };
  };

import { LocalFilesLabel, LocalSiteId } from '../contracts/index';
import { formatDicomDate } from '../patients/index';
import type { LocalStudy } from '../localFiles/index';
import { localStudies } from '../store/index';
import { ImportDialog } from './ImportDialog';
import { useCrossview, useCrossviewStore } from './storeContext';

/** How many unreadable files are listed before "and N more". */
const ListedErrors = 50;

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function LocalStudyRow({ study }: { study: LocalStudy }) {
  const store = useCrossviewStore();
  const openStudy = useCrossview((s) => s.openStudy);
  const activeSeries = useCrossview((s) => s.viewports.find((v) => v.viewportId === s.activeViewportId)?.SeriesInstanceUID);
  const selected = openStudy?.StudyInstanceUID === study.StudyInstanceUID && openStudy.siteId === LocalSiteId;
  const { identity } = study;
  const modalities = [...new Set(study.series.map((s) => s.Modality))].filter((m) => m && m !== 'SR');
  return (
    <li data-timeline-study={study.StudyInstanceUID} data-site-id={LocalSiteId} className={selected ? 'selected' : ''}>
      <button type="button" className="study" aria-expanded={selected} onClick={() => store.getState().openLocalStudy(study.StudyInstanceUID)}>
        <span className="study-date">{formatDicomDate(identity.StudyDate)}</span>
        <span className="study-modality">{modalities.join(' ') || '—'}</span>
        <span className="study-description">{identity.StudyDescription || 'No description'}</span>
        <span className="study-description muted">
          {identity.PatientName.replace(/\^/g, ' ').trim() || 'No name'} · {identity.PatientID || 'no ID'}
          {identity.IssuerOfPatientID ? ` (${identity.IssuerOfPatientID})` : ''}
        </span>
        <span className="site-badges">
          <span className="site-badge local" data-site-id={LocalSiteId}>{LocalFilesLabel}</span>
        </span>
      </button>
      <button type="button" className="send-study" data-import-study={study.StudyInstanceUID} onClick={() => store.getState().openImport(study.StudyInstanceUID)} title="Store this study at a hospital, filed under its patient there">Import to…</button>
      {selected && (
        <ul className="series-list" aria-label="Series">
          {study.series.map((series) => (
            <li key={series.SeriesInstanceUID} data-series-uid={series.SeriesInstanceUID}>
              <button type="button" className={activeSeries === series.SeriesInstanceUID ? 'series active' : 'series'} onClick={() => store.getState().showLocalSeries(series.SeriesInstanceUID)}>
                {series.Modality} {series.SeriesDescription || `Series ${series.SeriesNumber ?? ''}`} · {series.instances.length} im
              </button>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** Local files opened in this browser: their studies (marked as no hospital's) and the files that could not be read. */
export function LocalFilesSection() {
  const store = useCrossviewStore();
  const load = useCrossview((s) => s.localFiles);
  if (load.kind === 'idle') return null;
  const studies = localStudies({ localFiles: load });
  return (
    <section className="local-files" aria-label={LocalFilesLabel} data-local-files={load.kind}>
      <h3>
        {LocalFilesLabel}{' '}
        <button type="button" title="Close the local files" onClick={() => store.getState().closeLocalFiles()} style={{ float: 'right', fontSize: 11 }}>
          Close
        </button>
      </h3>
      {load.kind === 'reading' && <p className="muted"><span className="spinner" /> Reading files…</p>}
      {load.kind === 'parsing' && (
        <p className="muted">
          Reading DICOM: {load.done} of {load.total} files
          <progress max={load.total} value={load.done} aria-label="Local files read" />
        </p>
      )}
      {load.kind === 'error' && <p className="error" role="alert">{load.message}</p>}
      {load.kind === 'ready' && (
        <>
          {studies.length === 0 && <p className="muted">No viewable DICOM study among {load.set.fileCount} files.</p>}
          <ol>
            {studies.map((study) => (
              <LocalStudyRow key={study.StudyInstanceUID} study={study} />
            ))}
          </ol>
          {load.set.directories
            .filter((dir) => dir.missing.length > 0)
            .map((dir) => (
              <p key={dir.path} className="error" data-local-file-missing={dir.missing.length}>
                {dir.path} names {dir.missing.length} {dir.missing.length === 1 ? 'file' : 'files'} that {dir.missing.length === 1 ? 'is' : 'are'} not among those opened
                ({dir.missing.slice(0, 3).join(', ')}
                {dir.missing.length > 3 ? ', …' : ''}){dir.referenced.length === 0 ? ': open the whole CD folder, not the DICOMDIR alone' : ''}.
              </p>
            ))}
          {load.set.rejected.length > 0 && (
            <>
              <p className="muted">{load.set.rejected.length} of {load.set.fileCount} files could not be read:</p>
              <ul className="local-file-errors">
                {load.set.rejected.slice(0, ListedErrors).map((file) => (
                  <li key={file.path} data-local-file-error={baseName(file.path)} title={file.path}>
                    <strong>{file.path}</strong>: {file.reason}
                  </li>
                ))}
                {load.set.rejected.length > ListedErrors && <li className="muted">and {load.set.rejected.length - ListedErrors} more</li>}
              </ul>
            </>
          )}
        </>
      )}
      <ImportDialog />
    </section>
  );
}

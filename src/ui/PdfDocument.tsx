import { useEffect } from 'react';
import type { PdfReport } from '../reports/index';
import { useCrossview, useCrossviewStore } from './storeContext';

/**
 * The PDF report in the browser's own PDF viewer. An `<object>` of a blob typed application/pdf,
 * not a sandboxed iframe: Chromium refuses to show PDFs inside sandboxed frames. The bytes were
 * checked to start with %PDF, the blob's type is fixed, and the app runs nothing from the document.
 */
export function PdfDocument({ report }: { report: PdfReport }) {
  const store = useCrossviewStore();
  const pdf = useCrossview((s) => s.reportPdfs[report.SOPInstanceUID]);
  useEffect(() => {
    void store.getState().loadReportPdf(report.StudyInstanceUID);
  }, [store, report.StudyInstanceUID, report.SOPInstanceUID]);
  if (!pdf || pdf.kind === 'loading') return <p className="muted"><span className="spinner" /> Fetching the PDF report…</p>;
  if (pdf.kind === 'failed') return <p className="error" role="alert">{pdf.message}</p>;
  const url = pdf.objectUrl;
  const fileName = `${report.title.replace(/[^\w.-]+/g, '_') || 'report'}.pdf`;
  return (
    <div className="report-pdf">
      <object className="report-pdf-viewer" data={url} type="application/pdf" aria-label={`PDF report: ${report.title}`}>
        <p className="muted">This browser cannot show PDFs here; download the report instead.</p>
      </object>
      <a className="report-pdf-download" href={url} download={fileName}>Download report (PDF)</a>
    </div>
  );
}

/**
 * What a timeline study or series carries when dragged onto a viewport. Kept apart from the
 * viewer's code so the timeline does not pull Cornerstone into the first bundle.
 */
export const TimelineDragType = 'application/x-crossview-study';

export interface DraggedStudy {
  siteId: string;
  StudyInstanceUID: string;
  /** Absent when a whole study was dragged. */
  SeriesInstanceUID?: string;
}

export function dragDataOf(item: DraggedStudy): string {
  return JSON.stringify(item);
}

/** The dragged item, or undefined for anything else dropped on the page. */
export function parseDragData(raw: string): DraggedStudy | undefined {
  try {
    const value = JSON.parse(raw) as Record<string, unknown>;
    if (typeof value.siteId !== 'string' || typeof value.StudyInstanceUID !== 'string') return undefined;
    return {
      siteId: value.siteId,
      StudyInstanceUID: value.StudyInstanceUID,
      ...(typeof value.SeriesInstanceUID === 'string' ? { SeriesInstanceUID: value.SeriesInstanceUID } : {}),
    };
  } catch {
    return undefined;
  }
}

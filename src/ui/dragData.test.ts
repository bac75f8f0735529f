import { describe, expect, it } from 'vitest';
import { dragDataOf, parseDragData } from './dragData';

describe('timeline drag data', () => {
  it('round-trips a study and a series', () => {
    const study = { siteId: 'b', StudyInstanceUID: '1.2.3' };
    expect(parseDragData(dragDataOf(study))).toEqual(study);
    const series = { ...study, SeriesInstanceUID: '1.2.3.4' };
    expect(parseDragData(dragDataOf(series))).toEqual(series);
  });

  it('ignores anything else dropped on a viewport', () => {
    expect(parseDragData('not json')).toBeUndefined();
    expect(parseDragData(JSON.stringify({ siteId: 3, StudyInstanceUID: '1' }))).toBeUndefined();
    expect(parseDragData(JSON.stringify({ siteId: 'a', StudyInstanceUID: '1', SeriesInstanceUID: 7 }))).toEqual({ siteId: 'a', StudyInstanceUID: '1' });
  });
});

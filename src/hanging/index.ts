/** Hanging: which series go where. Pure functions; protocols as data arrive with the hanging issue. */
export { defaultSeries, isImageSeries, type SeriesCandidate } from './displaySets';

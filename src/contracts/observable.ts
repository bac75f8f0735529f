/**
 * Hooks that our own tests, benchmarks and outside tests rely on (DESIGN.md "Observable").
 * Changing a name here is a breaking change for every harness that measures us.
 */
export const PerformanceMarks = {
  firstImage: (viewportId: string) => `cv:first-image:${viewportId}`,
  seriesComplete: (seriesInstanceUID: string) => `cv:series-complete:${seriesInstanceUID}`,
  /** Every filled cell of a hung stage shows its first image. */
  hangingReady: (protocolId: string, stageIndex: number) => `cv:hanging-ready:${protocolId}:${stageIndex}`,
} as const;

export const LinkBasisValues = ['national-id', 'issuer-id', 'demographics-confirmed'] as const;
export type LinkBasis = (typeof LinkBasisValues)[number];

export const DataAttributes = {
  viewportId: 'data-viewport-id',
  siteId: 'data-site-id',
  studyUid: 'data-study-uid',
  seriesUid: 'data-series-uid',
  imageIndex: 'data-image-index',
  ready: 'data-ready',
  timelineStudy: 'data-timeline-study',
  linkBasis: 'data-link-basis',
  possibleMatch: 'data-possible-match',
  siteStatus: 'data-site-status',
  state: 'data-state',
  reportState: 'data-report-state',
} as const;

import { describe, expect, it } from 'vitest';
import { HangingProtocolListSchema, HangingViewStateSchema, parseHangingProtocol } from './hangingProtocol';

const minimal = {
  id: 'ct-pair',
  name: 'CT pair',
  studyRules: [{ attribute: 'ModalitiesInStudy', oneOf: ['CT'], weight: 2, required: true }],
  priors: { select: { kind: 'most-recent' } },
  syncGroups: [{ id: 'pair', kinds: ['scroll', 'window'] }],
  displaySets: [{ id: 'current' }, { id: 'prior', study: 'prior' }],
  stages: [
    {
      id: 'soft',
      name: 'Soft tissue',
      layout: { kind: 'grid', rows: 1, columns: 2 },
      viewports: [
        { displaySet: 'current', preset: 'soft-tissue', syncGroups: ['pair'] },
        { displaySet: 'prior', preset: 'soft-tissue', syncGroups: ['pair'] },
      ],
    },
  ],
};

function errorsOf(input: unknown): string[] {
  const result = parseHangingProtocol(input);
  if (result.ok) throw new Error('expected the protocol to be rejected');
  return result.errors;
}

function withViewport(patch: Record<string, unknown>, index = 1) {
  const stage = minimal.stages[0]!;
  const viewports = stage.viewports.map((viewport, i) => (i === index ? { ...viewport, ...patch } : viewport));
  return { ...minimal, stages: [{ ...stage, viewports }] };
}

describe('parseHangingProtocol', () => {
  it('accepts a protocol and fills the defaults a department may leave out', () => {
    const result = parseHangingProtocol(minimal);
    if (!result.ok) throw new Error(result.errors.join('; '));
    expect(result.protocol.priors?.relevance).toEqual({ modality: 'same', bodyPart: 'overlapping', minDescriptionSimilarity: 0 });
    expect(result.protocol.stages[0]?.viewports[0]).toMatchObject({ kind: 'stack', orientation: 'acquisition', mirrored: false, flipped: false, overlays: [] });
    expect(result.protocol.displaySets[1]).toMatchObject({ study: 'prior', priorIndex: 0, required: false });
  });

  it('names the viewport field of an unknown window preset', () => {
    const errors = errorsOf(withViewport({ preset: 'liver-ish' }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^stages\[0\]\.viewports\[1\]\.preset: /);
  });

  it('names a viewport that refers to a display set or sync group nobody defined', () => {
    const errors = errorsOf(withViewport({ displaySet: 'missing', syncGroups: ['pair', 'other'] }));
    expect(errors).toContain('stages[0].viewports[1].displaySet: no display set "missing" is defined');
    expect(errors).toContain('stages[0].viewports[1].syncGroups[1]: no sync group "other" is defined');
  });

  it('says a rotated plane needs a volume, at the orientation field', () => {
    expect(errorsOf(withViewport({ orientation: 'sagittal' }, 0))).toEqual([
      'stages[0].viewports[0].orientation: a stack shows slices as acquired: "sagittal" needs "kind": "volume"',
    ]);
    expect(parseHangingProtocol(withViewport({ orientation: 'sagittal', kind: 'volume' }, 0)).ok).toBe(true);
  });

  it('rejects a grid bigger than 3×3 and a viewport count that does not fill the layout', () => {
    const stage = minimal.stages[0]!;
    const errors = errorsOf({
      ...minimal,
      stages: [
        { ...stage, layout: { kind: 'grid', rows: 1, columns: 4 } },
        { ...stage, id: 'three', layout: { kind: 'grid', rows: 1, columns: 3 } },
      ],
    });
    expect(errors).toContain('stages[0].layout.columns: must be 1 to 3');
    expect(errors).toContain('stages[1].viewports: the 1×3 grid layout has 3 cell(s) but 2 viewport(s) are listed');
  });

  it('accepts an asymmetric layout and names a cell that overlaps or falls outside', () => {
    const stage = minimal.stages[0]!;
    const big = { ...stage, viewports: [...stage.viewports, stage.viewports[0]] };
    const ok = parseHangingProtocol({
      ...minimal,
      stages: [{ ...big, layout: { kind: 'asymmetric', rows: 2, columns: 2, cells: [{ row: 0, column: 0, rowSpan: 2 }, { row: 0, column: 1 }, { row: 1, column: 1 }] } }],
    });
    expect(ok.ok).toBe(true);
    const errors = errorsOf({
      ...minimal,
      stages: [{ ...big, layout: { kind: 'asymmetric', rows: 2, columns: 2, cells: [{ row: 0, column: 0, rowSpan: 2 }, { row: 1, column: 0 }, { row: 0, column: 2 }] } }],
    });
    expect(errors).toEqual([
      'stages[0].layout.cells[1]: overlaps another cell at row 1, column 0',
      'stages[0].layout.cells[2]: lies outside the 2×2 grid',
    ]);
  });

  it('names a bad rule: broken regex, text test on a count, unknown plane', () => {
    const errors = errorsOf({
      ...minimal,
      studyRules: [
        { attribute: 'StudyDescription', matches: '(unclosed' },
        { attribute: 'NumberOfStudyRelatedInstances', oneOf: ['10'] },
      ],
      displaySets: [{ id: 'current', seriesRules: [{ attribute: 'orientation', oneOf: ['axial', 'diagonal'] }] }, { id: 'prior', study: 'prior' }],
    });
    expect(errors.some((e) => e.startsWith('studyRules[0].matches: not a valid regular expression'))).toBe(true);
    expect(errors).toContain('studyRules[1]: NumberOfStudyRelatedInstances is a count: give "min" and/or "max" (not "oneOf"/"matches")');
    expect(errors).toContain('displaySets[0].seriesRules[0].oneOf[1]: must be one of axial, sagittal, coronal, oblique');
  });

  it('rejects an attribute a rule cannot test, a prior display set without priors, and unknown keys', () => {
    const { priors: _priors, ...withoutPriors } = minimal;
    const errors = errorsOf({ ...minimal, studyRules: [{ attribute: 'PatientName', oneOf: ['X'] }], colour: 'blue' });
    expect(errors.some((e) => e.startsWith('studyRules[0].attribute:'))).toBe(true);
    expect(errors.some((e) => e.startsWith('(protocol): ') && e.includes('colour'))).toBe(true);
    // Cross-references are checked once every field parses.
    expect(errorsOf(withoutPriors)).toEqual(['displaySets[1].study: a prior display set needs the protocol\'s "priors" selection']);
  });

  it('rejects an nth prior below 1 at its path', () => {
    const errors = errorsOf({ ...minimal, priors: { select: { kind: 'nth', n: 0 } } });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^priors\.select\.n: /);
  });
});

describe('HangingViewStateSchema', () => {
  it('round-trips protocol, stage and priors, and accepts a view state without them', () => {
    const state = { protocolId: 'ct-compare', stageIndex: 1, priorStudies: [{ siteId: 'site-b', StudyInstanceUID: '1.2.3' }] };
    expect(HangingViewStateSchema.parse(JSON.parse(JSON.stringify(state)))).toEqual(state);
    expect(HangingViewStateSchema.parse({})).toEqual({});
    expect(HangingViewStateSchema.safeParse({ stageIndex: -1 }).success).toBe(false);
  });
});

describe('HangingProtocolListSchema', () => {
  it('carries parsed protocols and per-file errors from the gateway, and rejects an invalid protocol inside', () => {
    const parsed = parseHangingProtocol(minimal);
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const answer = { protocols: [parsed.protocol], errors: [{ file: 'bad.json', errors: ['bad.json: id: must be lower-case letters'] }] };
    expect(HangingProtocolListSchema.parse(JSON.parse(JSON.stringify(answer)))).toEqual(answer);
    const broken = HangingProtocolListSchema.safeParse({ protocols: [{ ...minimal, stages: [] }], errors: [] });
    expect(broken.success).toBe(false);
    expect(broken.error?.issues[0]?.path).toEqual(['protocols', 0, 'stages']);
  });
});

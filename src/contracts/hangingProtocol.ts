/**
 * A hanging protocol is a JSON document a department can write without code: which studies it is
 * for (weighted rules, some required), which priors to fetch from any site, which series fill
 * which display set, and the stages of viewports that show them. Read from disk and sent to the
 * browser, so every bad field is reported with its path (`stages[0].viewports[1].preset: ...`).
 * Cross-references (display set ids, sync group ids, viewport counts against the layout) are
 * checked here too, so a protocol that parses can be laid out without further checks.
 */
import { z } from 'zod';

const ProtocolIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes (e.g. "ct-chest-compare")');

/** Attributes a study-level rule may test. `BodyPartExamined` is the study's body regions (series values and description). */
export const StudyRuleAttributes = ['ModalitiesInStudy', 'BodyPartExamined', 'StudyDescription', 'NumberOfStudyRelatedInstances'] as const;
/**
 * Attributes a series-level rule may test. `orientation` is derived from ImageOrientationPatient;
 * `Laterality` reads ImageLaterality (0020,0062) or else Laterality (0020,0060).
 */
export const SeriesRuleAttributes = [
  'Modality',
  'BodyPartExamined',
  'SeriesDescription',
  'ProtocolName',
  'NumberOfSeriesRelatedInstances',
  'orientation',
  'Laterality',
  'ViewPosition',
] as const;
const CountAttributes = new Set<string>(['NumberOfStudyRelatedInstances', 'NumberOfSeriesRelatedInstances']);
export const PlaneValues = ['axial', 'sagittal', 'coronal', 'oblique'] as const;

function ruleSchema<A extends readonly [string, ...string[]]>(attributes: A) {
  return z
    .object({
      attribute: z.enum(attributes),
      /** Passes when the value (any value, for lists) equals one of these, case-insensitively. */
      oneOf: z.array(z.string().min(1)).min(1).optional(),
      /** A JavaScript regular expression, matched case-insensitively. */
      matches: z.string().min(1).optional(),
      min: z.number().int().min(0).optional(),
      max: z.number().int().min(0).optional(),
      weight: z.number().min(0).max(1000).default(1),
      /** A required rule that fails rules the protocol (or series) out, whatever the other scores. */
      required: z.boolean().default(false),
    })
    .strict()
    .superRefine((rule, ctx) => {
      const counted = CountAttributes.has(rule.attribute);
      const hasText = rule.oneOf !== undefined || rule.matches !== undefined;
      const hasRange = rule.min !== undefined || rule.max !== undefined;
      if (counted && (hasText || !hasRange)) {
        ctx.addIssue({ code: 'custom', message: `${rule.attribute} is a count: give "min" and/or "max" (not "oneOf"/"matches")`, path: [] });
      }
      if (!counted && (hasRange || !hasText)) {
        ctx.addIssue({ code: 'custom', message: `${rule.attribute} is text: give "oneOf" or "matches" (not "min"/"max")`, path: [] });
      }
      if (rule.matches !== undefined) {
        try {
          new RegExp(rule.matches, 'i');
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: `not a valid regular expression (${(error as Error).message})`, path: ['matches'] });
        }
      }
      if (rule.min !== undefined && rule.max !== undefined && rule.min > rule.max) {
        ctx.addIssue({ code: 'custom', message: 'must not be above "max"', path: ['min'] });
      }
      if (rule.attribute === 'orientation') {
        rule.oneOf?.forEach((value, i) => {
          if (!(PlaneValues as readonly string[]).includes(value)) {
            ctx.addIssue({ code: 'custom', message: `must be one of ${PlaneValues.join(', ')}`, path: ['oneOf', i] });
          }
        });
      }
    });
}

export const StudyRuleSchema = ruleSchema(StudyRuleAttributes);
export const SeriesRuleSchema = ruleSchema(SeriesRuleAttributes);

/** What makes an earlier study worth comparing with the current one. */
export const PriorRelevanceSchema = z
  .object({
    /** `same`: shares an image modality (CR and DX count as one); a list: has one of these. */
    modality: z.union([z.enum(['same', 'any']), z.array(z.string().min(1)).min(1)]).default('same'),
    /** `overlapping`: the two studies share a body region (chest, abdomen, head…). */
    bodyPart: z.enum(['overlapping', 'any']).default('overlapping'),
    /** 0–1 word overlap of the study descriptions; 0 does not look. */
    minDescriptionSimilarity: z.number().min(0).max(1).default(0),
    /** At most this many days before the current study. */
    maxAgeDays: z.number().int().positive().optional(),
  })
  .strict();

export const PriorSelectSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('most-recent') }).strict(),
  /** n = 1 is the most recent relevant prior, 2 the one before it. */
  z.object({ kind: z.literal('nth'), n: z.number().int().min(1) }).strict(),
  z.object({ kind: z.literal('all'), max: z.number().int().min(1).optional() }).strict(),
]);

export const PriorSelectionSchema = z
  .object({
    select: PriorSelectSchema.default({ kind: 'most-recent' }),
    relevance: PriorRelevanceSchema.default({ modality: 'same', bodyPart: 'overlapping', minDescriptionSimilarity: 0 }),
    /** The protocol does not apply when no relevant prior exists at any site. */
    required: z.boolean().default(false),
  })
  .strict();

export const DisplaySetSelectorSchema = z
  .object({
    id: ProtocolIdSchema,
    /** `prior`: the prior at `priorIndex` (0 = first chosen) of the protocol's prior selection. */
    study: z.enum(['current', 'prior']).default('current'),
    priorIndex: z.number().int().min(0).default(0),
    /** No rules: the study's largest image series. */
    seriesRules: z.array(SeriesRuleSchema).default([]),
    /** For the current study: the protocol does not apply unless a series fits. */
    required: z.boolean().default(false),
  })
  .strict();

export const SyncKindValues = ['scroll', 'window', 'zoom-pan', 'reference-lines'] as const;
export const SyncGroupSchema = z.object({ id: ProtocolIdSchema, kinds: z.array(z.enum(SyncKindValues)).min(1) }).strict();

/** Window preset ids as imaging/ names them, or explicit values in the modality's units. */
export const WindowPresetIdValues = ['soft-tissue', 'lung', 'bone', 'brain'] as const;
export const ViewportPresetSchema = z.union([
  z.enum(WindowPresetIdValues),
  z.object({ windowWidth: z.number().positive(), windowCenter: z.number() }).strict(),
]);

export const ProtocolViewportSchema = z
  .object({
    displaySet: ProtocolIdSchema,
    kind: z.enum(['stack', 'volume']).default('stack'),
    /** `acquisition` shows slices as stored; other planes need a volume. */
    orientation: z.enum(['acquisition', 'axial', 'sagittal', 'coronal']).default('acquisition'),
    preset: ViewportPresetSchema.optional(),
    syncGroups: z.array(ProtocolIdSchema).default([]),
    /** Left–right mirror (mammograms hang chest wall to chest wall). */
    mirrored: z.boolean().default(false),
    /** Top–bottom flip. */
    flipped: z.boolean().default(false),
    /** Display sets drawn over this one (RTSTRUCT, SEG). */
    overlays: z.array(ProtocolIdSchema).default([]),
  })
  .strict()
  .superRefine((viewport, ctx) => {
    if (viewport.kind === 'stack' && viewport.orientation !== 'acquisition') {
      ctx.addIssue({ code: 'custom', message: `a stack shows slices as acquired: "${viewport.orientation}" needs "kind": "volume"`, path: ['orientation'] });
    }
  });

const GridSize = z.number().int().min(1, 'must be 1 to 3').max(3, 'must be 1 to 3');
export const StageLayoutSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('grid'), rows: GridSize, columns: GridSize }).strict(),
  /** Cells on a rows × columns grid, each spanning one or more; they may not overlap. */
  z
    .object({
      kind: z.literal('asymmetric'),
      rows: GridSize,
      columns: GridSize,
      cells: z
        .array(
          z
            .object({
              row: z.number().int().min(0),
              column: z.number().int().min(0),
              rowSpan: z.number().int().min(1).default(1),
              columnSpan: z.number().int().min(1).default(1),
            })
            .strict(),
        )
        .min(1),
    })
    .strict(),
]);

export const ProtocolStageSchema = z
  .object({
    id: ProtocolIdSchema,
    name: z.string().min(1, 'must name the stage as users see it'),
    layout: StageLayoutSchema,
    viewports: z.array(ProtocolViewportSchema).min(1),
  })
  .strict()
  .superRefine((stage, ctx) => {
    const { layout } = stage;
    const cells = layout.kind === 'grid' ? layout.rows * layout.columns : layout.cells.length;
    if (stage.viewports.length !== cells) {
      ctx.addIssue({
        code: 'custom',
        message: `the ${layout.rows}×${layout.columns} ${layout.kind} layout has ${cells} cell(s) but ${stage.viewports.length} viewport(s) are listed`,
        path: ['viewports'],
      });
    }
    if (layout.kind !== 'asymmetric') return;
    const taken = new Set<string>();
    layout.cells.forEach((cell, i) => {
      if (cell.row + cell.rowSpan > layout.rows || cell.column + cell.columnSpan > layout.columns) {
        ctx.addIssue({ code: 'custom', message: `lies outside the ${layout.rows}×${layout.columns} grid`, path: ['layout', 'cells', i] });
        return;
      }
      for (let r = cell.row; r < cell.row + cell.rowSpan; r += 1) {
        for (let c = cell.column; c < cell.column + cell.columnSpan; c += 1) {
          if (taken.has(`${r},${c}`)) ctx.addIssue({ code: 'custom', message: `overlaps another cell at row ${r}, column ${c}`, path: ['layout', 'cells', i] });
          taken.add(`${r},${c}`);
        }
      }
    });
  });

export const HangingProtocolSchema = z
  .object({
    id: ProtocolIdSchema,
    name: z.string().min(1, 'must name the protocol as users see it'),
    description: z.string().optional(),
    studyRules: z.array(StudyRuleSchema).default([]),
    /** Each passes when any series of the current study passes it. */
    seriesRules: z.array(SeriesRuleSchema).default([]),
    /** Absent: the protocol shows the current study only. */
    priors: PriorSelectionSchema.optional(),
    syncGroups: z.array(SyncGroupSchema).default([]),
    displaySets: z.array(DisplaySetSelectorSchema).min(1, 'must define at least one display set'),
    stages: z.array(ProtocolStageSchema).min(1, 'must define at least one stage'),
  })
  .strict()
  .superRefine((protocol, ctx) => {
    const displaySets = new Set<string>();
    protocol.displaySets.forEach((set, i) => {
      if (displaySets.has(set.id)) ctx.addIssue({ code: 'custom', message: `duplicate display set id "${set.id}"`, path: ['displaySets', i, 'id'] });
      displaySets.add(set.id);
      if (set.study === 'prior' && !protocol.priors) {
        ctx.addIssue({ code: 'custom', message: 'a prior display set needs the protocol\'s "priors" selection', path: ['displaySets', i, 'study'] });
      }
    });
    const syncGroups = new Set(protocol.syncGroups.map((group) => group.id));
    const stages = new Set<string>();
    protocol.stages.forEach((stage, s) => {
      if (stages.has(stage.id)) ctx.addIssue({ code: 'custom', message: `duplicate stage id "${stage.id}"`, path: ['stages', s, 'id'] });
      stages.add(stage.id);
      stage.viewports.forEach((viewport, v) => {
        const at = ['stages', s, 'viewports', v];
        if (!displaySets.has(viewport.displaySet)) {
          ctx.addIssue({ code: 'custom', message: `no display set "${viewport.displaySet}" is defined`, path: [...at, 'displaySet'] });
        }
        viewport.overlays.forEach((id, o) => {
          if (!displaySets.has(id)) ctx.addIssue({ code: 'custom', message: `no display set "${id}" is defined`, path: [...at, 'overlays', o] });
        });
        viewport.syncGroups.forEach((id, g) => {
          if (!syncGroups.has(id)) ctx.addIssue({ code: 'custom', message: `no sync group "${id}" is defined`, path: [...at, 'syncGroups', g] });
        });
      });
    });
  });

export type StudyRule = z.infer<typeof StudyRuleSchema>;
export type SeriesRule = z.infer<typeof SeriesRuleSchema>;
export type PriorRelevance = z.infer<typeof PriorRelevanceSchema>;
export type PriorSelection = z.infer<typeof PriorSelectionSchema>;
export type DisplaySetSelector = z.infer<typeof DisplaySetSelectorSchema>;
export type SyncGroup = z.infer<typeof SyncGroupSchema>;
export type ViewportPreset = z.infer<typeof ViewportPresetSchema>;
export type ProtocolViewport = z.infer<typeof ProtocolViewportSchema>;
export type StageLayout = z.infer<typeof StageLayoutSchema>;
export type ProtocolStage = z.infer<typeof ProtocolStageSchema>;
export type HangingProtocol = z.infer<typeof HangingProtocolSchema>;

export type HangingProtocolResult = { ok: true; protocol: HangingProtocol } | { ok: false; errors: string[] };

/**
 * Validates parsed JSON; each error reads `stages[0].viewports[1].preset: Invalid input`.
 * @example parseHangingProtocol(JSON.parse(text))
 */
export function parseHangingProtocol(input: unknown): HangingProtocolResult {
  const result = HangingProtocolSchema.safeParse(input);
  if (result.success) return { ok: true, protocol: result.data };
  return { ok: false, errors: result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`) };
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(protocol)';
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
}

/** A study as the view state names it: where to fetch it from, and which it is. */
export const StudyKeySchema = z.object({ siteId: z.string().min(1), StudyInstanceUID: z.string().min(1) }).strict();
export type StudyKey = z.infer<typeof StudyKeySchema>;

/** One viewport showing a series the user put there (dragged from the timeline) instead of the protocol's choice. */
export const ViewportSeriesSchema = z
  .object({
    stageIndex: z.number().int().min(0),
    viewportIndex: z.number().int().min(0),
    siteId: z.string().min(1),
    StudyInstanceUID: z.string().min(1),
    SeriesInstanceUID: z.string().min(1),
  })
  .strict();
export type ViewportSeries = z.infer<typeof ViewportSeriesSchema>;

/**
 * The hanging part of the serialisable view state (meetings, URLs): which protocol, which stage,
 * which priors, which viewports the user refilled. Every field is optional so a view state
 * without hanging stays valid.
 */
export const HangingViewStateSchema = z
  .object({
    protocolId: ProtocolIdSchema.optional(),
    stageIndex: z.number().int().min(0).optional(),
    priorStudies: z.array(StudyKeySchema).optional(),
    viewportSeries: z.array(ViewportSeriesSchema).optional(),
  })
  .strict();
export type HangingViewState = z.infer<typeof HangingViewStateSchema>;

/**
 * What the gateway answers at `HangingProtocolsPath`: the department's protocols from its
 * configured folder (read per request, so a dropped-in file needs no restart) and each bad
 * file's errors, which the browser can show to whoever maintains the folder.
 */
export const HangingProtocolListSchema = z
  .object({
    protocols: z.array(HangingProtocolSchema),
    errors: z.array(z.object({ file: z.string(), errors: z.array(z.string()) }).strict()),
  })
  .strict();
export type HangingProtocolList = z.infer<typeof HangingProtocolListSchema>;

/** Path of the endpoint, for the browser. */
export const HangingProtocolsPath = '/api/hanging-protocols';

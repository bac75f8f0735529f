/**
 * The SR content tree (PS3.3 C.17.3) as readable sections. CONTAINER items become sections
 * (nested ones flattened after their parent, headed by their path); every other value type
 * becomes one item, with the items that qualify it (HAS PROPERTIES, INFERRED FROM, HAS CONCEPT
 * MOD …) kept as its children. Pure and bounded: a hostile file with deep nesting or millions of
 * items yields a truncated document, not a hung tab. Values stay plain text for React text nodes.
 */
import { itemsOf, numbersOf, textOf, type DicomRecord } from '../sites/index';
import { formatDate, formatDateTime, formatPersonName, formatTime } from './reportText';

interface ItemBase {
  /** ConceptNameCodeSequence CodeMeaning: what the value is ("Finding", "Long axis"). */
  name: string;
  /** RelationshipType to the parent ("CONTAINS", "INFERRED FROM" …). */
  relationship: string;
  children: SrItem[];
}

export type SrItem =
  | (ItemBase & { kind: 'text'; text: string })
  | (ItemBase & { kind: 'measurement'; value: string; unit: string })
  | (ItemBase & { kind: 'code'; value: string })
  | (ItemBase & { kind: 'image-reference'; ReferencedSOPClassUID: string; ReferencedSOPInstanceUID: string; ReferencedFrameNumber: number[] });

export interface SrSection {
  /** Container names from the document root down, joined with " › "; empty for loose items. */
  heading: string;
  /** 0 for a container directly under the document root. */
  depth: number;
  items: SrItem[];
}

export interface SrContent {
  /** Observation context and concept modifiers of the document itself (observer, language …). */
  context: SrItem[];
  sections: SrSection[];
  /** True when the tree was larger or deeper than this viewer walks; the panel says so. */
  truncated: boolean;
}

const MAX_DEPTH = 24;
const MAX_ITEMS = 5000;

export function conceptName(record: DicomRecord, keyword = 'ConceptNameCodeSequence'): string {
  const code = itemsOf(record, keyword)[0];
  if (!code) return '';
  return textOf(code, 'CodeMeaning') ?? textOf(code, 'LongCodeValue') ?? textOf(code, 'CodeValue') ?? '';
}

/** UCUM units read better as their code (`mm`) than their meaning (`millimeter`), unless braced or unity. */
function unitOf(measured: DicomRecord): string {
  const unit = itemsOf(measured, 'MeasurementUnitsCodeSequence')[0];
  if (!unit) return '';
  const value = textOf(unit, 'CodeValue') ?? '';
  const meaning = textOf(unit, 'CodeMeaning') ?? '';
  if (value === '1') return '';
  if (textOf(unit, 'CodingSchemeDesignator') === 'UCUM' && value && !value.includes('{')) return value;
  return meaning || value;
}

type Walker = { count: number; truncated: boolean };

function leafOf(record: DicomRecord, base: ItemBase): SrItem {
  const valueType = textOf(record, 'ValueType') ?? '';
  const referenced = textOf(record, 'ReferencedContentItemIdentifier') ?? numbersOf(record, 'ReferencedContentItemIdentifier').join('.');
  if (!valueType && referenced) return { ...base, kind: 'text', text: `(refers to content item ${referenced})` };
  switch (valueType) {
    case 'TEXT':
      return { ...base, kind: 'text', text: textOf(record, 'TextValue') ?? '' };
    case 'CODE':
      return { ...base, kind: 'code', value: conceptName(record, 'ConceptCodeSequence') };
    case 'NUM': {
      const measured = itemsOf(record, 'MeasuredValueSequence')[0];
      if (!measured) {
        const qualifier = conceptName(record, 'NumericValueQualifierCodeSequence');
        return { ...base, kind: 'measurement', value: qualifier || 'no value', unit: '' };
      }
      return { ...base, kind: 'measurement', value: textOf(measured, 'NumericValue') ?? '', unit: unitOf(measured) };
    }
    case 'DATE':
      return { ...base, kind: 'text', text: formatDate(textOf(record, 'Date')) };
    case 'TIME':
      return { ...base, kind: 'text', text: formatTime(textOf(record, 'Time')) };
    case 'DATETIME':
      return { ...base, kind: 'text', text: formatDateTime(textOf(record, 'DateTime')) };
    case 'PNAME':
      return { ...base, kind: 'text', text: formatPersonName(textOf(record, 'PersonName')) };
    case 'UIDREF':
      return { ...base, kind: 'text', text: textOf(record, 'UID') ?? '' };
    case 'IMAGE': {
      const sop = itemsOf(record, 'ReferencedSOPSequence')[0] ?? {};
      return {
        ...base,
        kind: 'image-reference',
        ReferencedSOPClassUID: textOf(sop, 'ReferencedSOPClassUID') ?? '',
        ReferencedSOPInstanceUID: textOf(sop, 'ReferencedSOPInstanceUID') ?? '',
        ReferencedFrameNumber: numbersOf(sop, 'ReferencedFrameNumber'),
      };
    }
    case 'SCOORD':
    case 'SCOORD3D': {
      const points = numbersOf(record, 'GraphicData').length / (valueType === 'SCOORD' ? 2 : 3);
      return { ...base, kind: 'text', text: `${(textOf(record, 'GraphicType') ?? 'region').toLowerCase()} of ${Math.floor(points)} points` };
    }
    case 'COMPOSITE':
      return { ...base, kind: 'text', text: `reference to object ${textOf(itemsOf(record, 'ReferencedSOPSequence')[0] ?? {}, 'ReferencedSOPInstanceUID') ?? ''}`.trim() };
    default:
      return { ...base, kind: 'text', text: valueType ? `(${valueType} value not shown)` : '' };
  }
}

function itemOf(record: DicomRecord, depth: number, walker: Walker): SrItem {
  const base: ItemBase = { name: conceptName(record), relationship: textOf(record, 'RelationshipType') ?? '', children: childrenOf(record, depth, walker) };
  if (textOf(record, 'ValueType') === 'CONTAINER') return { ...base, kind: 'text', text: '' };
  return leafOf(record, base);
}

/** Children of a non-container item: every content item below it, as nested items. */
function childrenOf(record: DicomRecord, depth: number, walker: Walker): SrItem[] {
  const children = itemsOf(record, 'ContentSequence');
  if (children.length === 0) return [];
  if (depth >= MAX_DEPTH) {
    walker.truncated = true;
    return [];
  }
  const out: SrItem[] = [];
  for (const child of children) {
    if (++walker.count > MAX_ITEMS) {
      walker.truncated = true;
      break;
    }
    out.push(itemOf(child, depth + 1, walker));
  }
  return out;
}

function walkContainer(container: DicomRecord, heading: string, depth: number, walker: Walker, sections: SrSection[]): void {
  const section: SrSection = { heading, depth, items: [] };
  sections.push(section);
  const nested: DicomRecord[] = [];
  for (const child of itemsOf(container, 'ContentSequence')) {
    if (++walker.count > MAX_ITEMS) {
      walker.truncated = true;
      return;
    }
    if (textOf(child, 'ValueType') === 'CONTAINER') nested.push(child);
    else section.items.push(itemOf(child, depth + 1, walker));
  }
  for (const child of nested) {
    if (depth + 1 >= MAX_DEPTH) {
      walker.truncated = true;
      return;
    }
    const name = conceptName(child) || 'Untitled section';
    walkContainer(child, heading ? `${heading} › ${name}` : name, depth + 1, walker, sections);
  }
}

/**
 * Walks the document root's ContentSequence. Root-level context (HAS OBS CONTEXT, HAS CONCEPT MOD)
 * goes to `context`; loose root-level items form one untitled section ahead of the containers.
 */
export function readSrContent(root: DicomRecord): SrContent {
  const walker: Walker = { count: 0, truncated: false };
  const context: SrItem[] = [];
  const loose: SrSection = { heading: '', depth: 0, items: [] };
  const sections: SrSection[] = [];
  for (const child of itemsOf(root, 'ContentSequence')) {
    if (++walker.count > MAX_ITEMS) {
      walker.truncated = true;
      break;
    }
    const relationship = textOf(child, 'RelationshipType') ?? '';
    if (textOf(child, 'ValueType') === 'CONTAINER') walkContainer(child, conceptName(child) || 'Untitled section', 0, walker, sections);
    else if (relationship === 'HAS OBS CONTEXT' || relationship === 'HAS CONCEPT MOD') context.push(itemOf(child, 0, walker));
    else loose.items.push(itemOf(child, 0, walker));
  }
  return { context, sections: loose.items.length ? [loose, ...sections] : sections, truncated: walker.truncated };
}

/**
 * A structured report as a reader sees it: title, who wrote and who verified it, when, its state,
 * and its content as sections (Basic Text, Enhanced, Comprehensive SR; TID 2000 reports and
 * TID 1500 measurement reports alike). Pure: a naturalised dataset in, plain data out.
 */
import { itemsOf, textOf, type DicomRecord } from '../sites/index';
import { reportStateOf } from './reportState';
import { formatPersonName } from './reportText';
import { conceptName, readSrContent, type SrItem, type SrSection } from './srContent';

export interface ReportPerson {
  role: 'verifier' | 'author' | 'observer';
  /** Display form (`Dr Hannah WHITFIELD`). */
  name: string;
  organisation?: string;
  /** DT of verification, for verifiers. */
  dateTime?: string;
}

export interface SrDocument {
  /** The document's concept name ("Diagnostic Imaging Report", "Imaging Measurement Report"). */
  title: string;
  /** TID of the root template when the document declares one ("2000", "1500"). */
  TemplateIdentifier?: string;
  CompletionFlag?: string;
  VerificationFlag?: string;
  state: 'final' | 'preliminary';
  /** Verifiers first, then authors, then observers named in the content; duplicates removed. */
  people: ReportPerson[];
  ContentDate?: string;
  ContentTime?: string;
  VerificationDateTime?: string;
  context: SrItem[];
  sections: SrSection[];
  truncated: boolean;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

function peopleOf(record: DicomRecord, context: readonly SrItem[]): ReportPerson[] {
  const people: ReportPerson[] = [];
  for (const item of itemsOf(record, 'VerifyingObserverSequence')) {
    people.push({
      role: 'verifier',
      name: formatPersonName(textOf(item, 'VerifyingObserverName')),
      ...optional('organisation', textOf(item, 'VerifyingOrganization')),
      ...optional('dateTime', textOf(item, 'VerificationDateTime')),
    });
  }
  for (const item of itemsOf(record, 'AuthorObserverSequence')) {
    // A device author (PS3.3 Identified Person or Device macro) is named by its model or station.
    const device = () => textOf(item, 'ManufacturerModelName') ?? textOf(item, 'StationName') ?? textOf(item, 'Manufacturer');
    const name = textOf(item, 'ObserverType') === 'DEV' ? device() : formatPersonName(textOf(item, 'PersonName'));
    people.push({ role: 'author', name: name ?? '', ...optional('organisation', textOf(item, 'InstitutionName')) });
  }
  for (const item of context) {
    if (item.kind === 'text' && item.name === 'Person Observer Name') people.push({ role: 'observer', name: item.text });
  }
  const seen = new Set<string>();
  return people.filter((person) => {
    const key = person.name.toUpperCase();
    if (!person.name || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * @example
 * const document = readSrDocument(naturalize(metadata[0]));
 * document.sections[0]?.heading; // "Findings"
 */
export function readSrDocument(record: DicomRecord): SrDocument {
  const content = readSrContent(record);
  const CompletionFlag = textOf(record, 'CompletionFlag');
  const VerificationFlag = textOf(record, 'VerificationFlag');
  const verifiedAt = itemsOf(record, 'VerifyingObserverSequence')
    .map((item) => textOf(item, 'VerificationDateTime'))
    .filter((value): value is string => !!value)
    .sort()
    .at(-1);
  return {
    title: conceptName(record) || textOf(record, 'SeriesDescription') || 'Structured report',
    ...optional('TemplateIdentifier', textOf(itemsOf(record, 'ContentTemplateSequence')[0] ?? {}, 'TemplateIdentifier')),
    ...optional('CompletionFlag', CompletionFlag),
    ...optional('VerificationFlag', VerificationFlag),
    state: reportStateOf({ CompletionFlag, VerificationFlag }) === 'final' ? 'final' : 'preliminary',
    people: peopleOf(record, content.context),
    ...optional('ContentDate', textOf(record, 'ContentDate')),
    ...optional('ContentTime', textOf(record, 'ContentTime')),
    ...optional('VerificationDateTime', verifiedAt),
    context: content.context,
    sections: content.sections,
    truncated: content.truncated,
  };
}

/**
 * Who is in the demo: the patient, the two identity traps, each site's local IDs and the study
 * dates. All drawn from the seed. NHS numbers come from the 999 range, which the NHS reserves
 * for testing and never issues, so no generated number can belong to a real person.
 */
import { nhsCheckDigit } from '../contracts/index';
import type { DemoPerson, DemoSite } from './manifest';
import { createPrng, type Prng } from './prng';

/** Fixed "today" of the demo: study dates are relative to it, never to the clock. */
export const ReferenceDate = '20250614';

const FamilyNames = ['HARTLEY', 'OKAFOR', 'LINDQVIST', 'PEMBERTON', 'ABERNATHY', 'FAIRWEATHER', 'KOWALCZYK', 'ASHDOWN'];
const GivenNames = ['Alex', 'Robin', 'Jordan', 'Morgan', 'Casey', 'Jamie', 'Riley', 'Sam'];
const OtherFamilyNames = ['THORNBURY', 'MACALLISTER', 'OYELARAN', 'BRIGHTWELL'];

export interface DemoPeople {
  patient: DemoPerson;
  /** Shares our patient's site-C local ID, but at site B. */
  sameLocalIdPerson: DemoPerson;
  /** Shares our patient's name and birth date, not the NHS number. */
  sameDemographicsPerson: DemoPerson;
  localIds: { a: string; b: string; c: string; sameLocalIdAtB: string; sameDemographicsAtA: string };
}

export interface DemoDates {
  referenceDate: string;
  ctCurrent: string;
  ctPrior: string;
  mrBrain: string;
  usAbdomen: string;
  trapSameLocalId: string;
  trapSameDemographics: string;
}

export function nhsNumberFrom(prng: Prng, taken: ReadonlySet<string>): string {
  for (;;) {
    const firstNine = `999${String(prng.int(0, 999_999)).padStart(6, '0')}`;
    const check = nhsCheckDigit(firstNine);
    const nhs = `${firstNine}${check ?? ''}`;
    if (check !== undefined && !taken.has(nhs)) return nhs;
  }
}

function birthDate(prng: Prng, fromYear: number, toYear: number): string {
  const y = prng.int(fromYear, toYear);
  const m = prng.int(1, 12);
  const d = prng.int(1, 28);
  return `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
}

export function createPeople(seed: number): DemoPeople {
  const prng = createPrng(seed, 'people');
  const taken = new Set<string>();
  const nhs = (): string => {
    const n = nhsNumberFrom(prng, taken);
    taken.add(n);
    return n;
  };
  const PatientName = `${prng.pick(FamilyNames)}^${prng.pick(GivenNames)}`;
  const patient: DemoPerson = {
    PatientName,
    PatientBirthDate: birthDate(prng, 1948, 1972),
    PatientSex: prng.pick(['M', 'F'] as const),
    nhsNumber: nhs(),
  };
  const sameLocalIdPerson: DemoPerson = {
    PatientName: `${prng.pick(OtherFamilyNames)}^${prng.pick(GivenNames)}`,
    PatientBirthDate: birthDate(prng, 1980, 1999),
    PatientSex: patient.PatientSex === 'M' ? 'F' : 'M',
    nhsNumber: nhs(),
  };
  const sameDemographicsPerson: DemoPerson = { ...patient, nhsNumber: nhs() };
  const sevenDigits = (): string => String(prng.int(1_000_000, 9_999_999));
  const a = `NC${prng.int(100_000, 999_999)}`;
  const b = sevenDigits();
  let c = sevenDigits();
  while (c === b) c = sevenDigits();
  let sameDemographicsAtA = `NC${prng.int(100_000, 999_999)}`;
  while (sameDemographicsAtA === a) sameDemographicsAtA = `NC${prng.int(100_000, 999_999)}`;
  return { patient, sameLocalIdPerson, sameDemographicsPerson, localIds: { a, b, c, sameLocalIdAtB: c, sameDemographicsAtA } };
}

function parseDate(da: string): Date {
  return new Date(Date.UTC(Number(da.slice(0, 4)), Number(da.slice(4, 6)) - 1, Number(da.slice(6, 8))));
}

function formatDate(date: Date): string {
  const m = String(date.getUTCMonth() + 1).padStart(2, '0');
  const d = String(date.getUTCDate()).padStart(2, '0');
  return `${date.getUTCFullYear()}${m}${d}`;
}

export function addDays(da: string, days: number): string {
  const date = parseDate(da);
  date.setUTCDate(date.getUTCDate() + days);
  return formatDate(date);
}

/** Same day of month `months` earlier, clamped to the month's length (31 Aug → 28/29 Feb). */
export function addMonths(da: string, months: number): string {
  const date = parseDate(da);
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return formatDate(target);
}

export function createDates(seed: number): DemoDates {
  const prng = createPrng(seed, 'dates');
  const ctCurrent = addDays(ReferenceDate, -prng.int(2, 12));
  return {
    referenceDate: ReferenceDate,
    ctCurrent,
    ctPrior: addMonths(ctCurrent, -6),
    mrBrain: addDays(ctCurrent, -prng.int(60, 90)),
    usAbdomen: addDays(ctCurrent, -prng.int(20, 40)),
    trapSameLocalId: addDays(ctCurrent, -prng.int(100, 400)),
    trapSameDemographics: addDays(ctCurrent, -prng.int(30, 300)),
  };
}

export const SiteDefinitions = {
  a: { siteId: 'site-a', name: 'Northgate Cancer Centre', issuer: 'NCC' },
  b: { siteId: 'site-b', name: 'Riverside District Hospital', issuer: 'RDH' },
  c: { siteId: 'site-c', name: 'Meadow Independent Imaging', issuer: 'MII' },
} as const;

export function createSites(people: DemoPeople): DemoSite[] {
  return (['a', 'b', 'c'] as const).map((key) => ({
    key,
    ...SiteDefinitions[key],
    localPatientId: people.localIds[key],
    folder: SiteDefinitions[key].siteId,
  }));
}

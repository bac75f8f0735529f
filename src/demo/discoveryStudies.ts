/**
 * Records that only the gateway's patient index can find or that test hostile input: our
 * patient's NHS number only in OtherPatientIDsSequence (site B), written with spaces (site C),
 * absent with a typo in the family name (site A), and a stranger whose name and study
 * description are HTML (site C). Each is one small CR, so they cost little to generate.
 * Everything here draws from its own seeded streams, so the older studies keep their bytes.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DemoManifest, DemoPerson, DemoSiteKey, DemoStudy } from './manifest';
import { encodeCrChest } from './crImage';
import { addDays, nhsNumberFrom, type DemoPeople } from './people';
import { createPrng } from './prng';
import { planSeries, planStudy, seriesEntry, studyEntry } from './studyPlan';
import type { StudyInput } from './otherStudies';

export const HostilePatientName = '<img src=x onerror=alert(1)>';
export const HostileStudyDescription = '<script>alert(2)</script>';

/** One letter of the family name changed: edit distance 1, as a mistyped registration would be. */
export function familyNameTypo(PatientName: string): string {
  const [family = '', ...rest] = PatientName.split('^');
  const replaced = family[1] === 'A' ? 'E' : 'A';
  return [`${family[0] ?? ''}${replaced}${family.slice(2)}`, ...rest].join('^');
}

async function writeCrStudy(
  input: StudyInput,
  key: string,
  fields: { siteKey: DemoSiteKey; person: DemoPerson; PatientID: string; StudyDate: string; StudyDescription: string; identityForm?: DemoStudy['identityForm'] },
  person: DemoStudy['person'],
): Promise<DemoStudy> {
  const study = planStudy(input.plan, key, { ...fields, BodyPartExamined: 'CHEST', studyIdPrefix: 'X' });
  const series = planSeries(input.plan, study, { SeriesNumber: 1, Modality: 'CR', SeriesDescription: 'Chest PA' });
  const folder = input.plan.sites.find((s) => s.key === fields.siteKey)?.folder ?? `site-${fields.siteKey}`;
  await writeFile(join(input.outDir, folder, `${key}-cr-0001.dcm`), encodeCrChest(study, series, input.plan.uid(`cr/${key}`), input.seed));
  return studyEntry(key, study, person, 'none', [seriesEntry(series, 1)]);
}

export interface DiscoveryResult {
  studies: DemoStudy[];
  hostile: NonNullable<DemoManifest['hostile']>;
}

function hostilePerson(seed: number, people: DemoPeople): { person: DemoPerson; PatientID: string } {
  const prng = createPrng(seed, 'hostile-person');
  const taken = new Set([people.patient, people.sameLocalIdPerson, people.sameDemographicsPerson].map((p) => p.nhsNumber));
  const person: DemoPerson = {
    PatientName: HostilePatientName,
    PatientBirthDate: `19${prng.int(50, 99)}0${prng.int(1, 9)}1${prng.int(0, 9)}`,
    PatientSex: 'O',
    nhsNumber: nhsNumberFrom(prng, taken),
  };
  const used = new Set([people.localIds.b, people.localIds.c]);
  let PatientID = String(prng.int(1_000_000, 9_999_999));
  while (used.has(PatientID)) PatientID = String(prng.int(1_000_000, 9_999_999));
  return { person, PatientID };
}

export async function writeDiscoveryStudies(input: StudyInput): Promise<DiscoveryResult> {
  const { people, dates } = input;
  const prng = createPrng(input.seed, 'discovery');
  const patient = people.patient;
  const sequenceOnly = await writeCrStudy(input, 'xr-sequence-only', {
    siteKey: 'b', person: patient, PatientID: people.localIds.b, StudyDate: addDays(dates.ctCurrent, -prng.int(500, 800)),
    StudyDescription: 'XR Chest', identityForm: 'sequence-only',
  }, 'patient');
  const spaced = await writeCrStudy(input, 'xr-spaced-nhs', {
    siteKey: 'c', person: patient, PatientID: people.localIds.c, StudyDate: addDays(dates.ctCurrent, -prng.int(900, 1200)),
    StudyDescription: 'XR Chest', identityForm: 'spaced-nhs',
  }, 'patient');

  let otherLocalId = `NC${prng.int(100_000, 999_999)}`;
  while (otherLocalId === people.localIds.a || otherLocalId === people.localIds.sameDemographicsAtA) otherLocalId = `NC${prng.int(100_000, 999_999)}`;
  const typoName = familyNameTypo(patient.PatientName);
  const demographicsOnly = await writeCrStudy(input, 'xr-demographics-only', {
    siteKey: 'a', person: { ...patient, PatientName: typoName }, PatientID: otherLocalId, StudyDate: addDays(dates.ctCurrent, -prng.int(1300, 1800)),
    StudyDescription: 'XR Chest', identityForm: 'demographics-only',
  }, 'patient');

  const stranger = hostilePerson(input.seed, people);
  const hostileStudy = await writeCrStudy(input, 'hostile-name', {
    siteKey: 'c', person: stranger.person, PatientID: stranger.PatientID, StudyDate: addDays(dates.ctCurrent, -prng.int(40, 90)),
    StudyDescription: HostileStudyDescription,
  }, 'hostile-name');

  return {
    studies: [sequenceOnly, spaced, { ...demographicsOnly, PatientName: typoName }, hostileStudy],
    hostile: {
      key: 'hostile-name',
      siteKey: 'c',
      person: stranger.person,
      PatientID: stranger.PatientID,
      IssuerOfPatientID: hostileStudy.IssuerOfPatientID ?? 'MII',
      StudyDescription: HostileStudyDescription,
      why: 'A PatientName and StudyDescription that are HTML: every screen must show them as text, never run them.',
    },
  };
}

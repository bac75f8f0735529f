/**
 * Body regions from the words hospitals actually use. BodyPartExamined is a series attribute
 * that QIDO rarely returns at study level and sites spell differently ("CHEST", "THORAX",
 * "CHESTABDOMEN", "CT Thorax"), so relevance compares coarse regions, not strings. A study
 * whose words name no region has an empty set: it overlaps nothing (relevance never guesses).
 */

export const BodyRegions = ['HEAD', 'NECK', 'CHEST', 'BREAST', 'ABDOMEN', 'PELVIS', 'SPINE', 'UPPER-LIMB', 'LOWER-LIMB'] as const;
export type BodyRegion = (typeof BodyRegions)[number];

const Keywords: Readonly<Record<string, readonly BodyRegion[]>> = {
  head: ['HEAD'], brain: ['HEAD'], skull: ['HEAD'], cranial: ['HEAD'], cerebral: ['HEAD'], orbits: ['HEAD'], sinuses: ['HEAD'], iam: ['HEAD'],
  neck: ['NECK'], thyroid: ['NECK'], larynx: ['NECK'],
  chest: ['CHEST'], thorax: ['CHEST'], thoracic: ['CHEST'], lung: ['CHEST'], lungs: ['CHEST'], pulmonary: ['CHEST'], ctpa: ['CHEST'],
  heart: ['CHEST'], cardiac: ['CHEST'], ribs: ['CHEST'],
  breast: ['BREAST'], breasts: ['BREAST'], mammo: ['BREAST'], mammogram: ['BREAST'], mammography: ['BREAST'], mammographic: ['BREAST'],
  abdomen: ['ABDOMEN'], abdo: ['ABDOMEN'], abdominal: ['ABDOMEN'], abd: ['ABDOMEN'], liver: ['ABDOMEN'], hepatic: ['ABDOMEN'], pancreas: ['ABDOMEN'],
  kidney: ['ABDOMEN'], kidneys: ['ABDOMEN'], renal: ['ABDOMEN'], gallbladder: ['ABDOMEN'], spleen: ['ABDOMEN'],
  pelvis: ['PELVIS'], pelvic: ['PELVIS'], prostate: ['PELVIS'], bladder: ['PELVIS'], rectum: ['PELVIS'], hip: ['PELVIS'], hips: ['PELVIS'],
  spine: ['SPINE'], cspine: ['SPINE'], tspine: ['SPINE'], lspine: ['SPINE'], lumbar: ['SPINE'], sacrum: ['SPINE'], vertebral: ['SPINE'],
  shoulder: ['UPPER-LIMB'], humerus: ['UPPER-LIMB'], elbow: ['UPPER-LIMB'], forearm: ['UPPER-LIMB'], wrist: ['UPPER-LIMB'], hand: ['UPPER-LIMB'],
  femur: ['LOWER-LIMB'], knee: ['LOWER-LIMB'], tibia: ['LOWER-LIMB'], ankle: ['LOWER-LIMB'], foot: ['LOWER-LIMB'], leg: ['LOWER-LIMB'],
  // Combined examinations name several regions in one word.
  cap: ['CHEST', 'ABDOMEN', 'PELVIS'], tap: ['CHEST', 'ABDOMEN', 'PELVIS'],
  wholebody: ['HEAD', 'NECK', 'CHEST', 'ABDOMEN', 'PELVIS'],
};

/** Longest first so "abdomen" is found in "chestabdomenpelvis" before "abd". */
const CompoundParts = Object.keys(Keywords).filter((word) => word.length >= 4).sort((a, b) => b.length - a.length);

function regionsOfWord(word: string): readonly BodyRegion[] {
  const direct = Keywords[word];
  if (direct) return direct;
  // DICOM defined terms glue regions together: CHESTABDOMEN, ABDOMENPELVIS, CHESTABDPELVIS.
  if (word.length < 7) return [];
  const found: BodyRegion[] = [];
  let rest = word;
  for (const part of CompoundParts) {
    if (!rest.includes(part)) continue;
    found.push(...(Keywords[part] ?? []));
    rest = rest.replace(part, ' ');
  }
  if (rest.includes('abd')) found.push('ABDOMEN');
  return found;
}

/** Regions named by any of the texts (BodyPartExamined values, descriptions). */
export function bodyRegionsOf(texts: readonly (string | undefined)[]): Set<BodyRegion> {
  const regions = new Set<BodyRegion>();
  for (const text of texts) {
    if (!text) continue;
    for (const word of text.toLowerCase().split(/[^a-z]+/)) {
      if (word) regionsOfWord(word).forEach((region) => regions.add(region));
    }
  }
  return regions;
}

export function regionsOverlap(a: ReadonlySet<BodyRegion>, b: ReadonlySet<BodyRegion>): boolean {
  for (const region of a) if (b.has(region)) return true;
  return false;
}

/**
 * The protocols every installation has. They are JSON documents like a department's own, kept
 * beside the code and validated by the same schema when this module loads; a built-in that does
 * not validate is a bug, so it throws.
 */
import { parseHangingProtocol, type HangingProtocol } from '../contracts/index';
import ctCompare from './protocols/ct-compare.json';
import mgFourUp from './protocols/mg-4up.json';
import mrBrain from './protocols/mr-brain.json';
import rtPlanning from './protocols/rt-planning.json';
import singleSeries from './protocols/single-series.json';
import xrCompare from './protocols/xr-compare.json';

function validated(file: string, document: unknown): HangingProtocol {
  const result = parseHangingProtocol(document);
  if (!result.ok) throw new Error(`builtInProtocols: ${file}: ${result.errors.join('; ')}`);
  return result.protocol;
}

/** Shown when nothing else applies; always the last built-in. */
export const SingleSeriesProtocol: HangingProtocol = validated('single-series.json', singleSeries);

export const BuiltInProtocols: readonly HangingProtocol[] = [
  validated('ct-compare.json', ctCompare),
  validated('mr-brain.json', mrBrain),
  validated('xr-compare.json', xrCompare),
  validated('mg-4up.json', mgFourUp),
  validated('rt-planning.json', rtPlanning),
  SingleSeriesProtocol,
];

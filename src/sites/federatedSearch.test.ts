import { describe, expect, it } from 'vitest';
import { askEverySite } from './federatedSearch';
import { classifyFailure, type SiteOutcome } from './outcome';
import type { Site } from './site';

const site = (id: string): Site => ({ id, name: `Hospital ${id}`, patientIdIssuer: id.toUpperCase(), dicomwebRoot: `http://gw/sites/${id}/dicom-web`, state: 'ok' });
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('askEverySite', () => {
  it('reports each site as soon as it answers, fastest first', async () => {
    const order: string[] = [];
    const outcomes = await askEverySite<number>(
      [site('slow'), site('fast')],
      async (s) => {
        await delay(s.id === 'slow' ? 40 : 1);
        return { kind: 'ok', siteId: s.id, value: 1, elapsedMs: 0, slow: false };
      },
      { onOutcome: (o) => order.push(o.siteId) },
    );
    expect(order).toEqual(['fast', 'slow']);
    expect(outcomes.map((o) => o.siteId)).toEqual(['slow', 'fast']);
  });

  it('keeps the other sites when one fails', async () => {
    const outcomes = await askEverySite<number>([site('a'), site('b')], async (s): Promise<SiteOutcome<number>> =>
      s.id === 'a' ? classifyFailure(s, { status: 0, timedOut: false, timeoutMs: 4000 }, 3) : { kind: 'ok', siteId: 'b', value: 7, elapsedMs: 2, slow: false },
    );
    expect(outcomes[0]).toMatchObject({ kind: 'down', siteId: 'a', message: 'Hospital a is not reachable' });
    expect(outcomes[1]).toMatchObject({ kind: 'ok', value: 7 });
  });
});

describe('classifyFailure', () => {
  const s = site('b');
  it.each([
    [{ status: 0, timedOut: true, timeoutMs: 4000 }, 'timeout', 'Hospital b did not answer within 4.0 s'],
    [{ status: 502, timedOut: false, timeoutMs: 4000 }, 'down', 'Hospital b is not reachable (502)'],
    [{ status: 401, timedOut: false, timeoutMs: 4000 }, 'unauthorised', 'Hospital b refused access (401)'],
    [{ status: 500, timedOut: false, timeoutMs: 4000 }, 'error', 'Hospital b answered with an error (500)'],
  ] as const)('%o is %s', (failure, kind, message) => {
    expect(classifyFailure(s, failure, 10)).toEqual({ kind, message, siteId: 'b', elapsedMs: 10 });
  });
});

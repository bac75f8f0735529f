import { afterEach, describe, expect, it, vi } from 'vitest';
import { HangingViewStateSchema } from '../contracts/index';
import { BuiltInProtocols, hangStudy } from '../hanging/index';
import type { TimelineStudy } from '../patients/index';
import type { Site } from '../sites/index';
import { cellsOfStage } from './hangingSlice';
import { silentGateway } from './testGateway';
import { createCrossviewStore } from './store';

const siteA: Site = { id: 'a', name: 'Hospital A', patientIdIssuer: 'A', dicomwebRoot: 'http://gw/sites/a/dicom-web', state: 'ok' };
const siteB: Site = { ...siteA, id: 'b', name: 'Hospital B', dicomwebRoot: 'http://gw/sites/b/dicom-web' };

function timelineStudy(StudyInstanceUID: string, StudyDate: string, StudyDescription: string, siteId: string): TimelineStudy {
  return {
    StudyInstanceUID,
    StudyDate,
    StudyTime: '100000',
    StudyDescription,
    AccessionNumber: '',
    ModalitiesInStudy: ['CT'],
    PatientName: 'TEST^Pat',
    PatientBirthDate: '19700101',
    locations: [{ siteId, PatientID: 'P1', IssuerOfPatientID: siteId.toUpperCase(), linkBasis: 'national-id' }],
  };
}

const current = timelineStudy('2.25.1', '20250301', 'CT Chest with contrast', 'a');
const prior = timelineStudy('2.25.2', '20240301', 'CT Thorax', 'b');
const ct = (uid: string) => ({ SeriesInstanceUID: uid, Modality: 'CT', SeriesDescription: 'axial', SeriesNumber: 2, NumberOfSeriesRelatedInstances: 120 });

afterEach(() => vi.unstubAllGlobals());

describe('hanging a study into the grid', () => {
  const decision = hangStudy(BuiltInProtocols, {
    current,
    timeline: [current, prior],
    seriesByStudy: { '2.25.1': [ct('2.25.1.2')], '2.25.2': [ct('2.25.2.3')] },
    currentSiteId: 'a',
    sitePreference: ['a', 'b'],
  });

  it('turns a stage into cells: the current CT and the prior from site B, with the stage preset and sync group', () => {
    expect(decision.protocol.id).toBe('ct-compare');
    const [soft, lung] = decision.stages.map(cellsOfStage);
    expect(soft).toMatchObject([
      { kind: 'series', siteId: 'a', SeriesInstanceUID: '2.25.1.2', role: 'current', preset: 'soft-tissue', syncGroups: ['ct-pair'] },
      { kind: 'series', siteId: 'b', SeriesInstanceUID: '2.25.2.3', role: 'prior', preset: 'soft-tissue', syncGroups: ['ct-pair'] },
    ]);
    expect(lung?.map((cell) => cell.preset)).toEqual(['lung', 'lung']);
  });

  it('keeps a cell that shows the same series across a stage change (no reload), changing only its display', () => {
    silentGateway();
    const store = createCrossviewStore('http://127.0.0.1:1');
    store.setState({ sites: { a: siteA, b: siteB }, siteOrder: ['a', 'b'], sitesLoad: { kind: 'ready' } });
    const [soft, lung] = decision.stages.map(cellsOfStage);
    store.getState().showViewports(soft!);
    expect(store.getState().viewports.map((v) => [v.viewportId, v.load.kind])).toEqual([
      ['vp-1', 'loading-metadata'],
      ['vp-2', 'loading-metadata'],
    ]);
    store.getState().updateViewport({ imageIndex: 40, firstImageShown: true }, 'vp-2');
    store.setState({ viewports: store.getState().viewports.map((v) => ({ ...v, load: { kind: 'ready', instances: [] } })) });
    store.getState().showViewports(lung!);
    const [first, second] = store.getState().viewports;
    expect(second).toMatchObject({ viewportId: 'vp-2', imageIndex: 40, firstImageShown: true, preset: 'lung', load: { kind: 'ready' } });
    expect(first).toMatchObject({ preset: 'lung', load: { kind: 'ready' } });
  });

  it('shows an unfilled cell with its reason, and a series moved to another cell keeps its loaded metadata', () => {
    silentGateway();
    const store = createCrossviewStore('http://127.0.0.1:1');
    store.setState({ sites: { a: siteA, b: siteB }, siteOrder: ['a', 'b'], sitesLoad: { kind: 'ready' } });
    const alone = hangStudy(BuiltInProtocols, { current, timeline: [current], seriesByStudy: { '2.25.1': [ct('2.25.1.2')] }, currentSiteId: 'a' });
    expect(alone.protocol.id).not.toBe('ct-compare'); // its prior is required
    store.getState().showViewports([{ kind: 'series', siteId: 'b', StudyInstanceUID: '2.25.2', SeriesInstanceUID: '2.25.2.3' }]);
    store.setState({ viewports: store.getState().viewports.map((v) => ({ ...v, load: { kind: 'ready', instances: [] } })) });
    store.getState().showViewports([
      { kind: 'empty', reason: 'no relevant prior at any site' },
      { kind: 'series', siteId: 'b', StudyInstanceUID: '2.25.2', SeriesInstanceUID: '2.25.2.3' },
    ]);
    expect(store.getState().viewports.map((v) => v.load)).toEqual([{ kind: 'empty', reason: 'no relevant prior at any site' }, { kind: 'ready', instances: [] }]);
    store.getState().setActiveViewport('vp-9');
    expect(store.getState().activeViewportId).toBe('vp-1');
    store.getState().setActiveViewport('vp-2');
    expect(store.getState().activeViewportId).toBe('vp-2');
  });

  it('restores a serialised hanging (protocol, stage, chosen prior, a refilled cell) and serialises it back the same', async () => {
    silentGateway();
    const older = timelineStudy('2.25.3', '20220301', 'CT Chest', 'a');
    const store = createCrossviewStore('http://127.0.0.1:1');
    store.setState({
      sites: { a: siteA, b: siteB },
      siteOrder: ['a', 'b'],
      sitesLoad: { kind: 'ready' },
      timeline: [current, prior, older],
      openStudy: { StudyInstanceUID: '2.25.1', siteId: 'a', series: { kind: 'ready', items: [ct('2.25.1.2')] } },
      seriesByStudy: { '2.25.1': [ct('2.25.1.2'), { ...ct('2.25.1.5'), NumberOfSeriesRelatedInstances: 60 }], '2.25.2': [ct('2.25.2.3')], '2.25.3': [ct('2.25.3.4')] },
    });
    // As a meeting message or URL carries it: JSON, checked by the contract schema.
    const sent = HangingViewStateSchema.parse(
      JSON.parse(
        JSON.stringify({
          protocolId: 'ct-compare',
          stageIndex: 1,
          priorStudies: [{ siteId: 'a', StudyInstanceUID: '2.25.3' }],
          viewportSeries: [{ stageIndex: 1, viewportIndex: 0, siteId: 'a', StudyInstanceUID: '2.25.1', SeriesInstanceUID: '2.25.1.5' }],
        }),
      ),
    );
    await store.getState().applyHangingViewState(sent);
    expect(store.getState().viewports.map((v) => [v.SeriesInstanceUID, v.siteId, v.preset])).toEqual([
      ['2.25.1.5', 'a', 'lung'],
      ['2.25.3.4', 'a', 'lung'],
    ]);
    expect(store.getState().hangingViewState()).toEqual(sent);
    store.getState().setStage(0);
    expect(store.getState().viewports.map((v) => v.SeriesInstanceUID)).toEqual(['2.25.1.2', '2.25.3.4']);
    expect(store.getState().hangingViewState()?.stageIndex).toBe(0);
  });
});

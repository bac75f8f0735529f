import { useEffect, useRef, useState } from 'react';
import { parseCxPatientId, queryFromLinkId } from '../patients/index';
import type { CrossviewStore } from '../store/index';
import { AuditView } from './AuditView';
import { HomeSearch } from './HomeSearch';
import { LocalFilesOpener } from './LocalFilesOpener';
import { PatientBanner } from './PatientBanner';
import { ReportPanel } from './ReportPanel';
import { parseRoute } from './route';
import { SessionBar, SignIn } from './SignIn';
import { SiteBar } from './SiteBar';
import { StoreContext, useCrossview } from './storeContext';
import { Timeline } from './Timeline';
import { LazyViewerGrid, ViewerBoundary } from './ViewerBoundary';
import './styles.css';


/** Asks who is signed in at start, then every minute and whenever the window regains focus. */
function useSession(store: CrossviewStore) {
  useEffect(() => {
    // The site list is asked for beside the session check, not after it: one round trip less
    // before a launch link shows its patient (a signed-out browser just gets a 401 for it).
    void store.getState().loadSites();
    void store.getState().checkSession();
    const recheck = () => {
      if (store.getState().session.kind === 'signed-in') void store.getState().checkSession();
    };
    const timer = window.setInterval(recheck, 60_000);
    window.addEventListener('focus', recheck);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', recheck);
    };
  }, [store]);
}

/** Resolves once the site list asked for at start has its answer. */
function sitesSettled(store: CrossviewStore): Promise<void> {
  return new Promise((resolve) => {
    if (store.getState().sitesLoad.kind !== 'loading') return resolve();
    const stop = store.subscribe((state) => {
      if (state.sitesLoad.kind === 'loading') return;
      stop();
      resolve();
    });
  });
}

/** Follows the URL once, after sign-in: launches from an EHR land straight on the patient. */
function useLaunch(store: CrossviewStore, signedIn: boolean) {
  const launched = useRef(false);
  useEffect(() => {
    if (!signedIn || launched.current) return;
    launched.current = true;
    const route = parseRoute(window.location.pathname, window.location.search);
    void (async () => {
      await sitesSettled(store);
      if (store.getState().sitesLoad.kind !== 'ready') await store.getState().loadSites();
      const { nationalIdIssuer } = store.getState();
      if (route.kind === 'launch-patient') {
        const parsed = parseCxPatientId(route.patientID, nationalIdIssuer);
        if (parsed.ok) await store.getState().openPatient(parsed.query);
        else store.getState().rejectLaunch(parsed.message);
      } else if (route.kind === 'launch-study') {
        await store.getState().openStudies(route.StudyInstanceUIDs);
      } else if (route.kind === 'patient') {
        const query = queryFromLinkId(route.linkId, nationalIdIssuer);
        if (query) await store.getState().openPatient(query);
        else store.getState().rejectLaunch(`"${route.linkId}" is not a patient link this viewer understands`);
      } else if (route.kind === 'invalid') {
        store.getState().rejectLaunch(route.message);
      }
    })();
  }, [store, signedIn]);
}

function Workspace() {
  const hasPatient = useCrossview((s) => s.query !== undefined);
  const searching = useCrossview((s) => s.search === 'searching');
  const hasLocalFiles = useCrossview((s) => s.localFiles.kind !== 'idle');
  const queryError = useCrossview((s) => s.queryError);
  // The viewer's code loads once a study is chosen, so the timeline is never queued behind it.
  const viewerWanted = useCrossview((s) => s.openStudy !== undefined || s.viewports.length > 0);
  const chosen = useCrossview((s) => s.openStudy?.StudyInstanceUID ?? '');
  const protocolId = useCrossview((s) => s.hanging?.decision.protocol.id);
  const stageIndex = useCrossview((s) => s.hanging?.stageIndex);
  const stageId = useCrossview((s) => (s.hanging ? s.hanging.decision.stages[s.hanging.stageIndex]?.id : undefined));
  return (
    <div className="app">
      <div className="app-top">
        <SiteBar />
        <LocalFilesOpener />
        <SessionBar />
      </div>
      {queryError && <div className="launch-error" role="alert">{queryError}</div>}
      {hasPatient || searching || hasLocalFiles ? (
        <>
          <PatientBanner />
          <div className="workspace">
            <Timeline />
            <section
              className="viewer-grid"
              aria-label="Images"
              {...(protocolId ? { 'data-protocol-id': protocolId, 'data-stage-index': String(stageIndex), 'data-stage-id': stageId ?? '' } : {})}
            >
              {viewerWanted ? (
                // Cornerstone3D is most of the bundle: it loads beside the timeline, not before it.
                <ViewerBoundary resetKey={chosen}>
                  <LazyViewerGrid />
                </ViewerBoundary>
              ) : (
                <div className="viewport empty">Select a study on the left to view its images.</div>
              )}
            </section>
            <ReportPanel />
          </div>
        </>
      ) : (
        <HomeSearch />
      )}
    </div>
  );
}

function SessionGate() {
  const session = useCrossview((s) => s.session);
  if (session.kind === 'checking') return <div className="app-status" role="status">Checking sign-in…</div>;
  if (session.kind === 'error') return <div className="launch-error" role="alert">{session.message}</div>;
  if (session.kind === 'signed-out') return <SignIn />;
  if (parseRoute(window.location.pathname, window.location.search).kind === 'audit') return <AuditView />;
  return <Workspace />;
}

export function App({ store }: { store: CrossviewStore }) {
  const [ready] = useState(store);
  useSession(ready);
  const signedIn = useStoreSignedIn(ready);
  useLaunch(ready, signedIn);
  return (
    <StoreContext.Provider value={ready}>
      <SessionGate />
    </StoreContext.Provider>
  );
}

function useStoreSignedIn(store: CrossviewStore): boolean {
  const [signedIn, setSignedIn] = useState(store.getState().session.kind === 'signed-in');
  useEffect(() => store.subscribe((state) => setSignedIn(state.session.kind === 'signed-in')), [store]);
  return signedIn;
}

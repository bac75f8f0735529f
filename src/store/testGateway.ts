/** For store unit tests: a gateway that never answers, neither fetch nor dicomweb-client's XMLHttpRequest. */
import { vi } from 'vitest';

export function silentGateway(): void {
  vi.stubGlobal('fetch', vi.fn(() => new Promise<Response>(() => {})));
  vi.stubGlobal(
    'XMLHttpRequest',
    class {
      open() {}
      setRequestHeader() {}
      send() {}
      abort() {}
      addEventListener() {}
      removeEventListener() {}
    },
  );
}

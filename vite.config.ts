import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const gateway = process.env.CROSSVIEW_GATEWAY ?? `http://127.0.0.1:${process.env.GATEWAY_PORT ?? '8080'}`;

export default defineConfig({
  plugins: [react()],
  // Codecs run in the decode worker; pre-bundling their JS entry points keeps the worker from
  // dying silently in dev when it imports them.
  optimizeDeps: {
    exclude: ['@cornerstonejs/dicom-image-loader'],
    include: [
      'dicom-parser',
      '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
      '@cornerstonejs/codec-charls/decodewasmjs',
      '@cornerstonejs/codec-openjpeg/decodewasmjs',
      '@cornerstonejs/codec-openjph/wasmjs',
    ],
  },
  worker: { format: 'es' },
  // `npm run dev` serves the app with hot reload; the gateway (npm start / npm run gateway)
  // answers the API and DICOMweb paths.
  server: {
    proxy: {
      '/api': gateway,
      '/sites': gateway,
    },
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 8000,
  },
});

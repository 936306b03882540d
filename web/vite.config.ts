import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The web app lives in web/; build output goes to web/dist with a manifest that
// web/scripts/size.mjs reads to report the portal's initial JavaScript size.
const root = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    target: 'es2022',
    // The portal budget is checked by web/scripts/size.mjs (200 kB gzipped), not by this warning.
    chunkSizeWarningLimit: 800,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  preview: { host: '127.0.0.1' },
});

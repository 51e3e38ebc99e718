import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = import.meta.dirname;
const projectRoot = path.resolve(webRoot, '..');

// The portal is served by the API at `/` (same origin as /api/v1): no CORS, no host but the service's own.
export default defineConfig({
  root: webRoot,
  plugins: [react()],
  resolve: { alias: { '@domain': path.join(projectRoot, 'domain') } },
  build: {
    outDir: path.join(webRoot, 'dist'),
    emptyOutDir: true,
    // a strict CSP forbids inline script; assets stay files, never data: URLs for scripts
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    fs: { allow: [projectRoot] },
    // `npm run web:dev`: the portal with hot reload against an API started separately on :3000
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});

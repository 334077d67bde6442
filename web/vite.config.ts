/**
 * The care-team web application's build: Preact through its Vite preset, served by the hub under
 * /app/ (same origin as /api/v1), hashed assets for long caching, no inline scripts or styles so
 * the page runs under a strict Content-Security-Policy.
 */
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/app/',
  plugins: [preact()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    // No inlined data: URLs for scripts; small images may still be inlined (img-src allows data:).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    // `npx vite --config web/vite.config.ts` for development against a running hub on :8080.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});

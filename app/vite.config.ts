/**
 * The web app's build: app/ into dist/app, served by the gateway at /app/ (src/web-app.ts). `npm run build` runs
 * it for production; a gateway started from source builds it on first use (src/dev/web-app-build.ts).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  publicDir: false,
  // Preact's automatic JSX runtime instead of React's.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/app', import.meta.url)),
    emptyOutDir: true,
    // Hashed names under assets/: the gateway serves them as immutable.
    assetsDir: 'assets',
    target: 'es2022',
    // The app is small; one chunk loads in one round trip.
    chunkSizeWarningLimit: 300,
  },
});

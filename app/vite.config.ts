/**
 * The web app's build: app/ into dist/app, served by the gateway at /app/ (src/web-app.ts). `npm run build` runs
 * it for production; a gateway started from source builds it on first use (src/dev/web-app-build.ts).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** `npm run app:dev` (Vite's dev server, with hot reload) sends the app's requests on to a running gateway. */
const gateway = process.env.GATEWAY_URL ?? 'http://localhost:4000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  publicDir: false,
  // Preact's automatic JSX runtime instead of React's.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  server: {
    proxy: {
      '/graphql': { target: gateway, ws: true },
      '/app/config.json': { target: gateway },
    },
  },
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

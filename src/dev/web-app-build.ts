/**
 * The web app for a gateway run from a source checkout (`npm start`, test gateway processes): Vite builds app/ on
 * the first request for `/app`, into a cache folder named by a hash of the app's sources and the lock file, so
 * later starts (and other processes) reuse it until a source changes. Not in the production build
 * (tsconfig.build.json), which serves dist/app from `npm run build` and never loads Vite.
 *
 * Each build goes to a private staging folder that is then renamed into place: processes building at once never
 * see, or leave, a half-written app.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const APP_ROOT = join(REPO_ROOT, 'app');
const CACHE = join(REPO_ROOT, 'node_modules', '.cache', 'emotion-gateway-web-app');

/** A hash of everything the build reads that can change: the app's files and the installed dependency versions. */
async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  const entries = await readdir(APP_ROOT, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const file of [...files, join(REPO_ROOT, 'package-lock.json')]) {
    hash.update(relative(REPO_ROOT, file)).update('\0').update(await readFile(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

async function build(): Promise<string> {
  const target = join(CACHE, await sourceHash());
  if (existsSync(join(target, 'index.html'))) return target;
  await mkdir(CACHE, { recursive: true });
  const staging = join(CACHE, `staging-${process.pid}-${Date.now()}`);
  try {
    // Loaded here, not at start-up: a gateway nobody opens the app on never loads Vite.
    const { build: viteBuild } = await import('vite');
    await viteBuild({ configFile: join(APP_ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir: staging, emptyOutDir: true } });
    await rename(staging, target).catch(async (error: unknown) => {
      // Another process finished the same build first: use its copy.
      if (!existsSync(join(target, 'index.html'))) throw error;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  await pruneOtherBuilds(target);
  return target;
}

/** Builds of older sources are of no use; staging folders of live builds are left alone. */
async function pruneOtherBuilds(keep: string): Promise<void> {
  const names = await readdir(CACHE).catch(() => [] as string[]);
  await Promise.all(
    names.filter((name) => /^[0-9a-f]{16}$/.test(name) && join(CACHE, name) !== keep).map((name) => rm(join(CACHE, name), { recursive: true, force: true })),
  );
}

let building: Promise<string> | undefined;

/** The built app's folder; the first call builds it when the sources changed, later calls share that build. */
export function webAppFromSource(): Promise<string> {
  building ??= build();
  building.catch(() => (building = undefined));
  return building;
}

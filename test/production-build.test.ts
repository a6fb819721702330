/**
 * The production build as the Dockerfile makes and runs it, outside Docker: `npm run build`'s two steps (tsc with
 * tsconfig.build.json, then Vite for the web app) into a folder of the test's own, then the `start:prod` command
 * (read from package.json) with NODE_ENV=production, no TypeScript loader. The build holds no simulator; the
 * gateway serves /health, the web app with its caching headers, no GraphiQL, and an emotion task through a real
 * upload against the Phonexia simulator (run by this test, not the gateway).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PhonexiaSimulator } from '../src/simulators/phonexia/simulator.js';
import { graphql } from './gql/index.js';
import { startGatewayProcess, type GatewayProcess } from './support/gateway-process.js';
import { pcmWav } from './support/wav.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
const BUILD_TIMEOUT_MS = 120_000;

const ProdStartTask = graphql(`
  mutation ProdStartTask($input: StartEmotionTaskInput!) {
    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id status } } }
  }
`);
const ProdTask = graphql(`
  query ProdTask($id: ID!) {
    emotionTask(id: $id) { id status channels { channel dominantEmotion { name } } }
  }
`);

/** `start:prod` as package.json says it: its environment, node's flags and the entry, relative to the build. */
function productionCommand(): { env: Record<string, string>; nodeArgs: string[]; entry: string } {
  const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const words = scripts['start:prod']!.split(/\s+/).filter(Boolean);
  const env: Record<string, string> = {};
  while (/^[A-Z_]+=/.test(words[0]!)) {
    const [name, ...value] = words.shift()!.split('=');
    env[name!] = value.join('=');
  }
  expect(words.shift()).toBe('node');
  const entry = words.pop()!;
  expect(entry).toBe('dist/src/main.js');
  return { env, nodeArgs: words, entry };
}

describe('the production build, started as start:prod', () => {
  let dir: string;
  let gateway: GatewayProcess;
  let phonexia: PhonexiaSimulator;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'production-build-'));
    // As dist/ resolves inside the repository: the packages, and "type": "module".
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    await symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const out = path.join(dir, 'dist');
    await run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', out], { cwd: ROOT });
    await run(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', path.join(ROOT, 'app/vite.config.ts'), '--outDir', path.join(out, 'app'), '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT });

    phonexia = new PhonexiaSimulator();
    const { url } = await phonexia.listen(0, '127.0.0.1');
    const command = productionCommand();
    gateway = await startGatewayProcess(
      { ...command.env, AUTH: 'none', PHONEXIA_BASE_URL: url },
      { nodeArgs: command.nodeArgs, entry: path.join(dir, command.entry) },
    );
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await gateway?.stop();
    await phonexia?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('holds no simulator and no development helper', () => {
    expect(existsSync(path.join(dir, 'dist/src/main.js'))).toBe(true);
    expect(existsSync(path.join(dir, 'dist/src/simulators'))).toBe(false);
    expect(existsSync(path.join(dir, 'dist/src/dev'))).toBe(false);
  });

  it('serves the web app: index.html revalidated, its hashed assets immutable', async () => {
    const index = await fetch(`${gateway.url}/app/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/app\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      const response = await fetch(`${gateway.url}${asset}`);
      expect(response.status, asset).toBe(200);
      expect(response.headers.get('cache-control'), asset).toBe('public, max-age=31536000, immutable');
      await response.arrayBuffer();
    }
  });

  it('has no GraphiQL and no introspection under production', async () => {
    const page = await fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/graphiql/i);
    const response = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __schema { types { name } } }' }) });
    const body = (await response.json()) as { errors?: Array<{ message: string }> };
    expect(body.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('takes an upload and tracks the emotion task to its end', async () => {
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: print(ProdStartTask), variables: { input: { file: null } } }));
    form.append('map', JSON.stringify({ 0: ['variables.input.file'] }));
    form.append('0', new Blob([pcmWav({ channels: 2, seconds: 3 })], { type: 'audio/wav' }), 'call.wav');
    const started = (await (await fetch(`${gateway.url}/graphql`, { method: 'POST', body: form, headers: { 'apollo-require-preflight': 'true' } })).json()) as {
      data?: { startEmotionTask: { __typename: string; task?: { id: string } } };
    };
    const id = started.data?.startEmotionTask.task?.id;
    expect(id, JSON.stringify(started)).toBeTruthy();
    const deadline = Date.now() + 20_000;
    for (;;) {
      const response = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: print(ProdTask), variables: { id } }) });
      const task = ((await response.json()) as { data: { emotionTask: { status: string; channels: Array<{ channel: number }> | null } } }).data.emotionTask;
      if (task.status === 'DONE') {
        expect(task.channels!.map((c) => c.channel)).toEqual([0, 1]);
        break;
      }
      expect(Date.now(), `task still ${task.status}\n${gateway.logs()}`).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 30_000);
});

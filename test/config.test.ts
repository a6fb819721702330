/**
 * Configuration: environment -> typed config with the documented defaults; every bad value is a ConfigError whose
 * message is one line starting with the variable's name (and never echoes a URL that may hold a password). The
 * process itself stops on one with exit code 1 and that one line on stderr.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { killWithTestProcess } from './support/child-processes.js';
import { testRunEnv } from './support/test-run.js';

const SECRET = 'a-webhook-secret-of-enough-length';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

/** The variable is named first, on one line. */
function expectRefused(env: Record<string, string>, variable: string): string {
  const { message } = configError(env);
  expect(message.startsWith(`${variable}: `)).toBe(true);
  expect(message).not.toMatch(/[\r\n]/);
  expect(message.length).toBeLessThan(200);
  return message;
}

describe('defaults', () => {
  it('with nothing set: port 4000, no provider, sandbox on, memory backend', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, publicUrl: null, redisUrl: null, sandbox: true, webhookSecretGenerated: true });
    expect([...config.providers.keys()]).toEqual([]);
    expect(config.webhookSecret.length).toBeGreaterThanOrEqual(32);
    // A fresh random secret per process.
    expect(loadConfig({}).webhookSecret).not.toBe(config.webhookSecret);
  });

  it('empty and blank values count as unset', () => {
    const config = loadConfig({ PORT: '', HUME_BASE_URL: '  ', SANDBOX: '' });
    expect(config).toMatchObject({ port: 4000, sandbox: true });
    expect(config.providers.size).toBe(0);
  });

  it('HUME_BASE_URL with HUME_API_KEY enables Hume batch there and turns the sandbox off', () => {
    const config = loadConfig({ HUME_API_KEY: 'key', HUME_BASE_URL: 'https://hume-v0.internal/' });
    expect(config.providers.get('hume')).toEqual({ apiKey: 'key', baseUrl: 'https://hume-v0.internal', predictionsCacheBytes: 128 * 1024 * 1024 });
    expect(config.sandbox).toBe(false);
  });

  it('HUME_BASE_URL without HUME_API_KEY is refused, naming the variable', () => {
    expect(() => loadConfig({ HUME_BASE_URL: 'https://hume-v0.internal' })).toThrow(/^HUME_BASE_URL: .*HUME_API_KEY/);
  });

  it('PHONEXIA_BASE_URL alone enables Phonexia and turns the sandbox off', () => {
    const config = loadConfig({ PHONEXIA_BASE_URL: 'http://phonexia.internal:8000/', PHONEXIA_HEADERS: '{"Authorization":"Bearer x"}' });
    expect(config.providers.get('phonexia')).toEqual({ baseUrl: 'http://phonexia.internal:8000', headers: { Authorization: 'Bearer x' } });
    expect(config.providers.has('hume')).toBe(false);
    expect(config.sandbox).toBe(false);
  });

  it('SANDBOX forces the sandbox either way', () => {
    expect(loadConfig({ HUME_API_KEY: 'key', SANDBOX: 'true' }).sandbox).toBe(true);
    expect(loadConfig({ HUME_API_KEY: 'key', SANDBOX: '1' }).sandbox).toBe(true);
    expect(loadConfig({ SANDBOX: 'false' }).sandbox).toBe(false);
    expect(loadConfig({ SANDBOX: 'OFF' }).sandbox).toBe(false);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HUME_API_KEY: 'key',
      HUME_BASE_URL: 'http://127.0.0.1:8001/',
      PUBLIC_URL: 'https://gateway.example.com/',
      WEBHOOK_SECRET: SECRET,
      REDIS_URL: 'redis://:pw@redis:6379/0',
      PREDICTIONS_CACHE_MB: '512',
    });
    expect(config).toMatchObject({
      port: 8080,
      publicUrl: 'https://gateway.example.com',
      webhookSecret: SECRET,
      webhookSecretGenerated: false,
      redisUrl: 'redis://:pw@redis:6379/0',
      sandbox: false,
    });
    expect(config.providers.get('hume')).toEqual({ apiKey: 'key', baseUrl: 'http://127.0.0.1:8001', predictionsCacheBytes: 512 * 1024 * 1024 });
    expect(loadConfig({ REDIS_URL: 'rediss://redis:6380', WEBHOOK_SECRET: SECRET }).redisUrl).toBe('rediss://redis:6380');
  });

  it('takes ports 0 and 65535', () => {
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(loadConfig({ PORT: '65535' }).port).toBe(65535);
  });
});

describe('bad values stop start-up with one line naming the variable', () => {
  it('PORT', () => {
    for (const port of ['abc', '70000', '65536', '-1', '80.5', '0x50', '4000abc']) expect(expectRefused({ PORT: port }, 'PORT')).toContain(port);
    // A pasted newline stays escaped in the one line.
    expect(expectRefused({ PORT: '40\n00' }, 'PORT')).toContain('"40\\n00"');
  });

  it('provider and public URLs', () => {
    expectRefused({ HUME_API_KEY: 'key', HUME_BASE_URL: 'api.hume.ai' }, 'HUME_BASE_URL');
    expectRefused({ HUME_BASE_URL: 'ftp://api.hume.ai' }, 'HUME_BASE_URL');
    expectRefused({ PHONEXIA_BASE_URL: 'not a url' }, 'PHONEXIA_BASE_URL');
    expectRefused({ PHONEXIA_BASE_URL: 'redis://phonexia:8000' }, 'PHONEXIA_BASE_URL');
    expectRefused({ PUBLIC_URL: 'localhost:4000' }, 'PUBLIC_URL');
    expectRefused({ PUBLIC_URL: '/relative' }, 'PUBLIC_URL');
  });

  it('GRAPHQL_MAX_QUERY_LENGTH is a whole number from 100 to 2 MiB (the body limit)', () => {
    for (const length of ['99', '0', '1e5', 'long', String(2 * 1024 * 1024 + 1)]) expect(expectRefused({ GRAPHQL_MAX_QUERY_LENGTH: length }, 'GRAPHQL_MAX_QUERY_LENGTH')).toContain(length);
    expect(loadConfig({ GRAPHQL_MAX_QUERY_LENGTH: '20000' }).limits.maxQueryLength).toBe(20_000);
    expect(loadConfig({}).limits.maxQueryLength).toBe(100_000);
  });

  it('PREDICTIONS_CACHE_MB is a whole number of MiB, at least 1', () => {
    const hume = { HUME_API_KEY: 'key', HUME_BASE_URL: 'https://hume-v0.internal' };
    for (const size of ['0', '-5', '1.5', 'lots', '64MB', '2000000']) expect(expectRefused({ ...hume, PREDICTIONS_CACHE_MB: size }, 'PREDICTIONS_CACHE_MB')).toContain(size);
    expect(loadConfig({ ...hume, PREDICTIONS_CACHE_MB: '1' }).providers.get('hume')).toMatchObject({ predictionsCacheBytes: 1024 * 1024 });
  });

  it('REDIS_URL must be redis: or rediss:, and the message does not echo its password', () => {
    const message = expectRefused({ REDIS_URL: 'http://user:s3cr3t-pass@redis:6379', WEBHOOK_SECRET: SECRET }, 'REDIS_URL');
    expect(message).not.toContain('s3cr3t-pass');
    const malformed = expectRefused({ REDIS_URL: 'redis//:s3cr3t-pass@redis', WEBHOOK_SECRET: SECRET }, 'REDIS_URL');
    expect(malformed).not.toContain('s3cr3t-pass');
  });

  it('PHONEXIA_HEADERS must be a JSON object of strings', () => {
    const base = { PHONEXIA_BASE_URL: 'http://phonexia:8000' };
    expectRefused({ ...base, PHONEXIA_HEADERS: 'Authorization: Bearer x' }, 'PHONEXIA_HEADERS');
    expectRefused({ ...base, PHONEXIA_HEADERS: '["Authorization", "Bearer x"]' }, 'PHONEXIA_HEADERS');
    expectRefused({ ...base, PHONEXIA_HEADERS: 'null' }, 'PHONEXIA_HEADERS');
    expectRefused({ ...base, PHONEXIA_HEADERS: '"a string"' }, 'PHONEXIA_HEADERS');
    expect(expectRefused({ ...base, PHONEXIA_HEADERS: '{"X-Api-Key": 12345}' }, 'PHONEXIA_HEADERS')).toContain('X-Api-Key');
    expectRefused({ ...base, PHONEXIA_HEADERS: '{"X-Nested": {"a": "b"}}' }, 'PHONEXIA_HEADERS');
    expectRefused({ ...base, PHONEXIA_HEADERS: '{"Bad Header": "x"}' }, 'PHONEXIA_HEADERS');
    expectRefused({ ...base, PHONEXIA_HEADERS: '{"X-Bad\\nHeader": "x"}' }, 'PHONEXIA_HEADERS');
  });

  it('WEBHOOK_SECRET: too short, or missing with REDIS_URL', () => {
    expectRefused({ WEBHOOK_SECRET: 'short' }, 'WEBHOOK_SECRET');
    expectRefused({ WEBHOOK_SECRET: '123456789012345' }, 'WEBHOOK_SECRET');
    expect(loadConfig({ WEBHOOK_SECRET: '1234567890123456' }).webhookSecret).toBe('1234567890123456');
    expect(expectRefused({ REDIS_URL: 'redis://redis:6379' }, 'WEBHOOK_SECRET')).toContain('REDIS_URL');
  });

  it('SANDBOX must be a boolean', () => {
    expect(expectRefused({ SANDBOX: 'maybe' }, 'SANDBOX')).toContain('maybe');
    expectRefused({ SANDBOX: 'enabled' }, 'SANDBOX');
  });
});

/** Runs the entry point with only `env` (plus what node needs); resolves with its exit code and output. */
async function runProcess(vars: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  // Only what node needs (and the run's marker): no provider keys or other settings leak in from the test's environment.
  const env: Record<string, string> = { ...vars, PATH: process.env.PATH ?? '', ...testRunEnv() };
  if (process.env.HOME) env.HOME = process.env.HOME;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  killWithTestProcess(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', (exit) => resolve(exit)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** Exit code 1 and exactly one line on stderr, which names `variable`. */
function expectOneLine(run: { code: number | null; stdout: string; stderr: string }, variable: string): string {
  expect(run.code).toBe(1);
  const lines = run.stderr.split('\n').filter((line) => line !== '');
  expect(lines).toHaveLength(1);
  expect(run.stderr.endsWith('\n')).toBe(true);
  expect(lines[0]).toMatch(new RegExp(`\\b${variable}: `));
  expect(run.stdout).toBe('');
  return lines[0]!;
}

describe('the process', () => {
  it('exits with code 1 and one line on stderr naming PORT when PORT=abc', async () => {
    expect(expectOneLine(await runProcess({ PORT: 'abc' }), 'PORT')).toContain('abc');
  });

  it('under NODE_ENV=production never falls back to sandbox mode: with no provider it stops and says what to set', async () => {
    const line = expectOneLine(await runProcess({ NODE_ENV: 'production', PORT: '0', AUTH: 'none' }), 'NODE_ENV');
    for (const variable of ['HUME_API_KEY', 'HUME_BASE_URL', 'PHONEXIA_BASE_URL']) expect(line).toContain(variable);
    expectOneLine(await runProcess({ NODE_ENV: 'production', PORT: '0', SANDBOX: 'true', AUTH: 'none', PHONEXIA_BASE_URL: 'http://127.0.0.1:9' }), 'SANDBOX');
  });

  it('under NODE_ENV=production refuses to run without authentication unless AUTH=none says so', async () => {
    const line = expectOneLine(await runProcess({ NODE_ENV: 'production', PORT: '0', PHONEXIA_BASE_URL: 'http://127.0.0.1:9' }), 'AUTH_JWKS_URL');
    expect(line).toContain('AUTH=none');
  });
});

/**
 * Reading environment variables into typed values. A bad value throws a ConfigError whose message is one line
 * naming the variable; start-up stops on it. Used by config.ts and by each provider module for its own variables.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Env = Record<string, string | undefined>;

export function fail(variable: string, problem: string): never {
  throw new ConfigError(`${variable}: ${problem}`);
}

/** Unset and empty both mean "not given". */
export function read(env: Env, variable: string): string | undefined {
  const value = env[variable]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** A value quoted for a one-line message: control characters (a pasted newline) are escaped, long values cut. */
export function shown(raw: string): string {
  return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}...` : raw);
}

/** URLs are not echoed: they may carry credentials (redis://:password@host), and the message ends up in logs. */
export function parseUrl(env: Env, variable: string, protocols: string[]): string | undefined {
  const raw = read(env, variable);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail(variable, `not a valid absolute URL (expected ${protocols.join(' or ')}//host...)`);
  }
  if (!protocols.includes(url.protocol)) fail(variable, `expected a ${protocols.join(' or ')} URL, got a ${shown(url.protocol)} URL`);
  return raw.replace(/\/+$/, '');
}

export function parseBoolean(env: Env, variable: string): boolean | undefined {
  const raw = read(env, variable)?.toLowerCase();
  if (raw === undefined) return undefined;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  fail(variable, `expected true or false, got ${shown(env[variable] ?? '')}`);
}

export function parseDuration(env: Env, variable: string, fallback: number): number {
  const raw = read(env, variable);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 100 || Number(raw) > 3_600_000)
    fail(variable, `expected milliseconds from 100 to 3600000, got "${raw}"`);
  return Number(raw);
}

/** A JSON object of HTTP header names to string values (e.g. an auth header for a proxy in front of a provider). */
export function parseHeaders(env: Env, variable: string): Record<string, string> {
  const raw = read(env, variable);
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    fail(variable, 'expected a JSON object of header names to string values, e.g. {"Authorization":"Bearer ..."}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail(variable, 'expected a JSON object of header names to string values');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) fail(variable, `${shown(name)} is not a valid header name`);
    if (typeof value !== 'string') fail(variable, `the value of ${shown(name)} must be a string`);
    headers[name] = value;
  }
  return headers;
}

/** A whole number from `min` to `max`; `fallback` when unset. */
export function parseInteger(env: Env, variable: string, fallback: number, min: number, max: number, unit = ''): number {
  const raw = read(env, variable);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) fail(variable, `expected an integer from ${min} to ${max}${unit}, got ${shown(raw)}`);
  return Number(raw);
}

/**
 * GraphQL over HTTP conformance: graphql-http's server audit suite against the real gateway (yoga in front of the
 * simulators) on an ephemeral port. Every MUST audit is a test of its own; SHOULD and MAY audits are run too and
 * their failures are summarised on the console without failing the run (they are recommendations).
 */
import { serverAudits, type AuditResult } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './support/stack.js';

let stack: Stack | undefined;

function endpoint(): string {
  if (!stack) throw new Error('the stack did not start');
  return `${stack.gateway.url}/graphql`;
}

// The URL is a function: the audits are listed now, at collection time, and run once the stack is up.
const audits = serverAudits({ url: endpoint, fetchFn: fetch });
const must = audits.filter((audit) => audit.name.startsWith('MUST'));
const advisory = audits.filter((audit) => !audit.name.startsWith('MUST'));

async function describeFailure(result: AuditResult): Promise<string> {
  if (result.status === 'ok') return 'ok';
  let body = '';
  try {
    body = (await result.response.clone().text()).slice(0, 300);
  } catch {
    body = '<body already read>';
  }
  const type = result.response.headers.get('content-type') ?? '<none>';
  return `${result.reason}\n  response: ${result.response.status} content-type: ${type}\n  body: ${body}`;
}

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

describe('GraphQL over HTTP: MUST audits (graphql-http)', () => {
  it('found MUST audits to run', () => {
    expect(must.length).toBeGreaterThan(10);
  });

  for (const audit of must) {
    it(`${audit.name} [${audit.id}]`, async () => {
      const result = await audit.fn();
      if (result.status !== 'ok') expect.fail(await describeFailure(result));
    });
  }
});

describe('GraphQL over HTTP: SHOULD and MAY audits (reported, not enforced)', () => {
  it('runs every advisory audit and prints a summary', async () => {
    const failures: string[] = [];
    for (const audit of advisory) {
      const result = await audit.fn();
      if (result.status !== 'ok') failures.push(`- [${audit.id}] ${audit.name}\n  ${(await describeFailure(result)).replace(/\n/g, '\n  ')}`);
    }
    const summary = `graphql-http advisory audits: ${advisory.length - failures.length}/${advisory.length} ok`;
    console.log(failures.length ? `${summary}; not met:\n${failures.join('\n')}` : summary);
    expect(advisory.length).toBeGreaterThan(0);
  });
});

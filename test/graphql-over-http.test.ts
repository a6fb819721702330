/**
 * GraphQL over HTTP conformance: graphql-http's server audit suite against the real gateway (yoga in front of the
 * simulators) on an ephemeral port. Every audit is a test of its own, the SHOULD and MAY ones included: the gateway
 * meets them all, and one it stops meeting fails by name with what the server answered.
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

describe('GraphQL over HTTP: the audits (graphql-http)', () => {
  it('found MUST and advisory audits to run', () => {
    expect(must.length).toBeGreaterThan(10);
    expect(advisory.length).toBeGreaterThan(10);
  });
});

for (const [title, list] of [
  ['GraphQL over HTTP: MUST audits', must],
  ['GraphQL over HTTP: SHOULD and MAY audits', advisory],
] as const) {
  describe(title, () => {
    for (const audit of list) {
      it(`${audit.name} [${audit.id}]`, async () => {
        const result = await audit.fn();
        if (result.status !== 'ok') expect.fail(await describeFailure(result));
      });
    }
  });
}

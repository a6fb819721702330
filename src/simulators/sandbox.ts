/**
 * Sandbox mode: every provider simulator in this process, the gateway configured for them through the same
 * environment variables a real deployment uses, and callbacks reaching the gateway itself, so the whole
 * start -> callback -> result path runs on one machine with nothing configured.
 */
import { randomBytes } from 'node:crypto';
import { loadConfig, type GatewayConfig } from '../config.js';
import { enableSandboxSamples } from '../sandbox-samples.js';
import { simulators, type RunningSimulator } from './index.js';

export interface Sandbox {
  config: GatewayConfig;
  simulators: RunningSimulator[];
  close(): Promise<void>;
}

export async function startSandbox(env: Record<string, string | undefined>): Promise<Sandbox> {
  enableSandboxSamples();
  const apiKey = `sandbox-${randomBytes(12).toString('hex')}`;
  const running = await Promise.all(simulators.map((entry) => entry.startForSandbox(apiKey)));
  const simulatorEnv = Object.assign({}, ...running.map((simulator) => simulator.env)) as Record<string, string>;
  return {
    config: loadConfig({ ...env, ...simulatorEnv, SANDBOX: 'true' }),
    simulators: running,
    async close() {
      await Promise.all(running.map((simulator) => simulator.close()));
    },
  };
}

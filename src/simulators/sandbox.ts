/**
 * Sandbox mode: both provider simulators in this process, the gateway pointed at them, and callbacks reaching the
 * gateway itself, so the whole start -> callback -> result path runs on one machine with nothing configured.
 */
import { randomBytes } from 'node:crypto';
import type { GatewayConfig } from '../config.js';
import { enableSandboxSamples } from '../sandbox-samples.js';
import { HumeSimulator } from './hume-batch/simulator.js';
import { PhonexiaSimulator } from './phonexia/simulator.js';

export interface Sandbox {
  config: GatewayConfig;
  humeUrl: string;
  phonexiaUrl: string;
  hume: HumeSimulator;
  phonexia: PhonexiaSimulator;
  close(): Promise<void>;
}

/** Long enough to watch a job move through its states in GraphiQL, short enough not to bore. */
const HUME_TIMING = { queuedMs: 1000, runningMs: 4000 };
const PHONEXIA_TIMING = { pendingMs: 1000, runningMs: 3000 };

export async function startSandbox(config: GatewayConfig): Promise<Sandbox> {
  enableSandboxSamples();
  const apiKey = `sandbox-${randomBytes(12).toString('hex')}`;
  const hume = new HumeSimulator({ apiKey, timing: HUME_TIMING });
  const phonexia = new PhonexiaSimulator({ timing: PHONEXIA_TIMING });
  const humeServer = await hume.listen(0, '127.0.0.1');
  const phonexiaServer = await phonexia.listen(0, '127.0.0.1');
  return {
    config: {
      ...config,
      hume: { apiKey, baseUrl: humeServer.url },
      phonexia: { baseUrl: phonexiaServer.url, headers: {} },
    },
    humeUrl: humeServer.url,
    phonexiaUrl: phonexiaServer.url,
    hume,
    phonexia,
    async close() {
      await hume.close();
      await phonexia.close();
    },
  };
}

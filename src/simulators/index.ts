/**
 * Every provider simulator, as sandbox mode starts them: each listens on an ephemeral loopback port and says which
 * environment variables point the gateway's adapter at it. Adding a provider adds one entry here.
 */
import { HumeSimulator } from './hume-batch/simulator.js';
import { HumeExpressionSimulator } from './hume-expression/simulator.js';
import { PhonexiaSimulator } from './phonexia/simulator.js';

export interface RunningSimulator {
  name: string;
  url: string;
  /** Variables that configure the matching adapter for this simulator. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export interface SimulatorEntry {
  name: string;
  /** Starts it for the sandbox; `apiKey` is the one key shared by every simulator that checks keys. */
  startForSandbox(apiKey: string): Promise<RunningSimulator>;
}

export const simulators: SimulatorEntry[] = [
  {
    name: 'Hume expression',
    async startForSandbox(apiKey) {
      const simulator = new HumeExpressionSimulator({ apiKey, timing: { measureDelayMs: 1500 } });
      const { url } = await simulator.listen(0, '127.0.0.1');
      return { name: this.name, url, env: { HUME_API_KEY: apiKey, HUME_EXPRESSION_BASE_URL: url }, close: () => simulator.close() };
    },
  },
  {
    name: 'Hume batch',
    async startForSandbox(apiKey) {
      // Long enough to watch a job move through its states in GraphiQL, short enough not to bore.
      const simulator = new HumeSimulator({ apiKey, timing: { queuedMs: 1000, runningMs: 4000 } });
      const { url } = await simulator.listen(0, '127.0.0.1');
      return { name: this.name, url, env: { HUME_API_KEY: apiKey, HUME_BASE_URL: url }, close: () => simulator.close() };
    },
  },
  {
    name: 'Phonexia',
    async startForSandbox() {
      const simulator = new PhonexiaSimulator({ timing: { pendingMs: 1000, runningMs: 3000 } });
      const { url } = await simulator.listen(0, '127.0.0.1');
      return { name: this.name, url, env: { PHONEXIA_BASE_URL: url }, close: () => simulator.close() };
    },
  },
];

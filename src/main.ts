/** Process entry: configuration, sandbox simulators when no provider is configured, start, graceful shutdown. */
import { ConfigError, loadConfig, type GatewayConfig } from './config.js';
import { startGateway } from './gateway.js';
import { createLogger } from './logger.js';

/** What sandbox mode gives the entry point (src/simulators/sandbox.ts). */
interface Sandbox {
  config: GatewayConfig;
  humeUrl: string;
  phonexiaUrl: string;
  close(): Promise<void>;
}

/**
 * The simulators are loaded only in sandbox mode, and only from a source checkout: the production build leaves
 * them out (tsconfig.build.json), so the specifier is computed to keep the compiler from pulling them in.
 */
async function loadSandbox(config: GatewayConfig): Promise<Sandbox> {
  const specifier = './simulators/sandbox.js';
  let module: { startSandbox(config: GatewayConfig): Promise<Sandbox> };
  try {
    module = (await import(specifier)) as typeof module;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    process.stderr.write(
      'configuration error: SANDBOX: this is a production build, which has no provider simulators; configure a provider (see the README) or run `npm start` from a source checkout\n',
    );
    process.exit(1);
  }
  return module.startSandbox(config);
}

async function main(): Promise<void> {
  let config: GatewayConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger();
  const sandbox = config.sandbox ? await loadSandbox(config) : null;
  const gateway = await startGateway({
    config: sandbox?.config ?? config,
    logger,
    graphiqlTitle: sandbox ? 'Emotion gateway (SANDBOX: simulated providers)' : undefined,
  });
  if (sandbox && !config.publicUrl) gateway.services.publicUrl = `http://127.0.0.1:${gateway.port}`;

  if (sandbox) {
    const banner = [
      '',
      '=================================================================',
      '  SANDBOX MODE: no provider is configured, so simulated Hume and',
      '  Phonexia servers run in this process. Nothing leaves this machine.',
      `  GraphiQL:           http://localhost:${gateway.port}/graphql`,
      `  Hume simulator:     ${sandbox.humeUrl}`,
      `  Phonexia simulator: ${sandbox.phonexiaUrl}`,
      '  Files in GraphiQL: use a sample, e.g.',
      '    mutation { analyzeMedia(input: { file: "sample:stereo-call.wav" }) { __typename } }',
      '  Set HUME_API_KEY and/or PHONEXIA_BASE_URL to use real providers.',
      '=================================================================',
      '',
    ].join('\n');
    process.stdout.write(banner);
  }
  logger.info('gateway listening', { url: `http://localhost:${gateway.port}/graphql`, sandbox: config.sandbox });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    await gateway.close();
    await sandbox?.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // A bug in one request must not take the process down; it is logged loudly instead.
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', { reason: String(reason) }));
}

void main();

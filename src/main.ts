/** Process entry: configuration, sandbox simulators when no provider is configured, start, graceful shutdown. */
import { ConfigError, loadConfig, type GatewayConfig } from './config.js';
import { startGateway } from './gateway.js';
import { createLogger } from './logger.js';

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
  // The simulators are loaded only in sandbox mode.
  const sandbox = config.sandbox ? await (await import('./sandbox.js')).startSandbox(config) : null;
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

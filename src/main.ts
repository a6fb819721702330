/** Process entry: configuration, sandbox simulators when no provider is configured, start, graceful shutdown. */
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, type GatewayConfig } from './config.js';
import { startGateway } from './gateway.js';
import { createLogger } from './logger.js';
import { providerModules } from './providers/index.js';

/** What sandbox mode gives the entry point (src/simulators/sandbox.ts). */
interface Sandbox {
  config: GatewayConfig;
  simulators: Array<{ name: string; url: string }>;
  close(): Promise<void>;
}

function configurationError(message: string): never {
  process.stderr.write(`configuration error: ${message}\n`);
  process.exit(1);
}

/**
 * The simulators are loaded only in sandbox mode, and only from a source checkout: the production build leaves
 * them out (tsconfig.build.json), so the specifier is computed to keep the compiler from pulling them in.
 */
async function loadSandbox(env: Record<string, string | undefined>): Promise<Sandbox> {
  const specifier = './simulators/sandbox.js';
  let module: { startSandbox(env: Record<string, string | undefined>): Promise<Sandbox> };
  try {
    module = (await import(specifier)) as typeof module;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    configurationError(
      'SANDBOX: this is a production build, which has no provider simulators; configure a provider (see the README) or run `npm start` from a source checkout',
    );
  }
  return module.startSandbox(env);
}

/**
 * The web app's built files. The production build has them beside its code (dist/app, from `npm run build`); run
 * from TypeScript sources (tsx), Vite builds app/ on first use (src/dev/, which the production build leaves out, so
 * its specifier is computed like the sandbox's).
 */
function webAppDirectory(): () => Promise<string> {
  if (!import.meta.url.endsWith('.ts')) {
    const built = fileURLToPath(new URL('../app/', import.meta.url));
    return () => Promise.resolve(built);
  }
  const specifier = './dev/web-app-build.js';
  return async () => ((await import(specifier)) as { webAppFromSource(): Promise<string> }).webAppFromSource();
}

async function main(): Promise<void> {
  let config: GatewayConfig;
  let sandbox: Sandbox | null = null;
  try {
    config = loadConfig();
    if (config.sandbox) {
      sandbox = await loadSandbox(process.env);
      config = sandbox.config;
    }
  } catch (error) {
    if (error instanceof ConfigError) configurationError(error.message);
    throw error;
  }
  const logger = createLogger();
  const gateway = await startGateway({
    config,
    logger,
    graphiqlTitle: sandbox ? 'Emotion gateway (SANDBOX: simulated providers)' : undefined,
    webAppDirectory: webAppDirectory(),
  });
  if (sandbox && !config.publicUrl) gateway.services.publicUrl = `http://127.0.0.1:${gateway.port}`;

  if (sandbox) {
    const width = Math.max(...sandbox.simulators.map((s) => s.name.length)) + 12;
    const banner = [
      '',
      '=================================================================',
      '  SANDBOX MODE: no provider is configured, so simulated provider',
      '  servers run in this process. Nothing leaves this machine.',
      `  ${'GraphiQL:'.padEnd(width)}http://localhost:${gateway.port}/graphql`,
      `  ${'Web app:'.padEnd(width)}http://localhost:${gateway.port}/app/ (built on first visit)`,
      ...sandbox.simulators.map((s) => `  ${`${s.name} simulator:`.padEnd(width)}${s.url}`),
      '  Files in GraphiQL: use a sample, e.g.',
      '    mutation { analyzeMedia(input: { file: "sample:stereo-call.wav" }) { __typename } }',
      `  Configure a provider to leave the sandbox: ${providerModules.map((m) => m.enabledBy).join('; ')}.`,
      '=================================================================',
      '',
    ].join('\n');
    process.stdout.write(banner);
  }
  logger.info('gateway listening', {
    url: `http://localhost:${gateway.port}/graphql`,
    app: `http://localhost:${gateway.port}/app/`,
    sandbox: config.sandbox,
    providers: providerModules.filter((m) => config.providers.has(m.identity.id)).map((m) => m.describe(config.providers.get(m.identity.id))),
  });

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

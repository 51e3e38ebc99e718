import { ConfigError, loadEnv } from '../config/env';
import { createApp } from './app';
import { createApiDeps } from './create-deps';
import { passwordJudge } from './http/password-judge';
import { createHttpServer } from './http/server';

async function main() {
  const env = loadEnv();
  const { deps, close } = createApiDeps(env);
  const app = createApp(deps);
  passwordJudge.warm();
  const server = createHttpServer(app, env).listen(env.API_PORT, env.API_HOST, () => {
    deps.logger.info({ port: env.API_PORT, host: env.API_HOST }, 'api listening');
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.logger.info({ signal }, 'api stopping');
    server.close(() => {
      void close().then(() => {
        deps.logger.info('api stopped');
        process.exit(0);
      });
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});

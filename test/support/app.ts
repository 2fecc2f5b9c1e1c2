/**
 * The whole platform in-process for HTTP tests: a fresh database, the real container, and a
 * Fastify instance to `inject()` requests into.
 */
import type { FastifyInstance } from 'fastify';
import { createContainer, type Container, type ContainerOptions } from '../../src/container.ts';
import type { Config } from '../../src/platform/index.ts';
import { createTestDatabase, testConfig, type TestDatabase } from './database.ts';

export interface TestApp {
  app: FastifyInstance;
  container: Container;
  close(): Promise<void>;
}

/**
 * `fresh`: on a database the platform has never started on (to test a first start); otherwise on a
 * copy of one it has, which saves each test file the first start's work. `configure`: changes to
 * the test configuration (a proxy to trust, a rate limit, production mode on a fresh database).
 */
export async function createTestApp(
  options: ContainerOptions & { fresh?: boolean; configure?: (config: Config) => Config } = {},
): Promise<TestApp> {
  const { fresh, configure, ...containerOptions } = options;
  const testDb: TestDatabase = await createTestDatabase({ seeded: fresh !== true });
  const config = testConfig(testDb);
  const container = await createContainer(
    configure === undefined ? config : configure(config),
    containerOptions,
  );
  const app = await container.buildHttpServer();
  await app.ready();
  return {
    app,
    container,
    close: async () => {
      await app.close();
      await container.close();
      await testDb.drop();
    },
  };
}

/**
 * The whole platform in-process for HTTP tests: a fresh database, the real container, and a
 * Fastify instance to `inject()` requests into.
 */
import type { FastifyInstance } from 'fastify';
import { createContainer, type Container, type ContainerOptions } from '../../src/container.ts';
import { createTestDatabase, testConfig, type TestDatabase } from './database.ts';

export interface TestApp {
  app: FastifyInstance;
  container: Container;
  close(): Promise<void>;
}

/**
 * `fresh`: on a database the platform has never started on (to test a first start); otherwise on a
 * copy of one it has, which saves each test file the first start's work.
 */
export async function createTestApp(options: ContainerOptions & { fresh?: boolean } = {}): Promise<TestApp> {
  const { fresh, ...containerOptions } = options;
  const testDb: TestDatabase = await createTestDatabase({ seeded: fresh !== true });
  const container = await createContainer(testConfig(testDb), containerOptions);
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

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

export async function createTestApp(options: ContainerOptions = {}): Promise<TestApp> {
  const testDb: TestDatabase = await createTestDatabase();
  const container = await createContainer(testConfig(testDb), options);
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

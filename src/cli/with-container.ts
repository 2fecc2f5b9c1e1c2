import type { Config } from '../platform/index.ts';
import { createContainer, type Container } from '../container.ts';
import { hostContainer } from './io.ts';

/**
 * Builds the platform for one command and closes it afterwards, whatever happens. Inside the
 * running server (a command handed over its socket), the server's own platform, left open.
 */
export async function withContainer<T>(config: Config, fn: (c: Container) => Promise<T>): Promise<T> {
  const host = hostContainer();
  if (host !== undefined) {
    return fn(host);
  }
  const container = await createContainer(config);
  try {
    return await fn(container);
  } finally {
    await container.close();
  }
}

import type { Config } from '../platform/index.ts';
import { createContainer, type Container } from '../container.ts';

/** Builds the platform for one command and closes it afterwards, whatever happens. */
export async function withContainer<T>(config: Config, fn: (c: Container) => Promise<T>): Promise<T> {
  const container = await createContainer(config);
  try {
    return await fn(container);
  } finally {
    await container.close();
  }
}

/**
 * The composition root: config → database → services → HTTP server. The server, the CLI and the
 * tests all build the platform through `createContainer`, so they run the same code.
 */
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { CalendarService } from './platform/calendar/index.ts';
import {
  buildServer,
  createLogger,
  healthRoutes,
  migrateToLatest,
  openDatabase,
  type Config,
  type Database,
  type Logger,
} from './platform/index.ts';
import { catalogRoutes, CatalogService, type LoadResult } from './modules/catalog/index.ts';
import { identifierRoutes } from './modules/identifiers/index.ts';

const require = createRequire(import.meta.url);
export const VERSION = (require('../package.json') as { version: string }).version;

export interface Container {
  readonly config: Config;
  readonly logger: Logger;
  readonly database: Database;
  readonly calendar: CalendarService;
  readonly catalog: CatalogService;
  /** The shipped base catalog, when this start loaded it into an empty database. */
  readonly catalogLoaded: LoadResult | undefined;
  /** Migrations applied when the container was created. */
  readonly migrationsApplied: readonly string[];
  buildHttpServer(): Promise<FastifyInstance>;
  close(): Promise<void>;
}

export interface ContainerOptions {
  logger?: Logger;
  /** Bring the schema up to date first (default true). */
  migrate?: boolean;
}

export async function createContainer(config: Config, options: ContainerOptions = {}): Promise<Container> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = await openDatabase(config.database);
  try {
    const migrationsApplied = options.migrate === false ? [] : await migrateToLatest(database.db);
    const calendar = new CalendarService(database.db);
    await calendar.refresh();
    const catalog = new CatalogService(database.db);
    // On first start the platform must know what it may hold before anything can be recorded.
    const catalogLoaded =
      options.migrate === false ? undefined : await catalog.ensureBase('system (first start)');

    return {
      config,
      logger,
      database,
      calendar,
      catalog,
      catalogLoaded,
      migrationsApplied,
      buildHttpServer: () =>
        buildServer({
          logger,
          version: VERSION,
          routes: [
            healthRoutes({
              databaseKind: database.kind,
              ping: async () => {
                await sql`select 1`.execute(database.db);
              },
            }),
            identifierRoutes,
            catalogRoutes(catalog),
          ],
        }),
      close: () => database.close(),
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}

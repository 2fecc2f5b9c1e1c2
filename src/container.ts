/**
 * The composition root: config → database → services → HTTP server. The server, the CLI and the
 * tests all build the platform through `createContainer`, so they run the same code.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { CalendarService, todayInShanghai } from './platform/calendar/index.ts';
import {
  buildServer,
  createDataProtector,
  createLogger,
  calendarRoutes,
  healthRoutes,
  migrateToLatest,
  msg,
  openDatabase,
  render,
  setDefaultLocale,
  t,
  type Config,
  type Database,
  type Locale,
  type Logger,
  type Message,
} from './platform/index.ts';
import { VERSION } from './version.ts';
import { AttachmentStore } from './platform/index.ts';
import {
  AccountService,
  accountRoutes,
  PersonAccountService,
  authRoutes,
  AuthService,
  demoCredentials,
  registerActorResolution,
  SECURITY_SCHEMES,
  seedDemo,
} from './modules/auth/index.ts';
import { auditRoutes, AuditService } from './modules/audit/index.ts';
import { catalogRoutes, CatalogService, type LoadResult } from './modules/catalog/index.ts';
import {
  CreditFileService,
  disclosureRoutes,
  PortalStatsService,
  publicRoutes,
} from './modules/disclosure/index.ts';
import { identifierRoutes } from './modules/identifiers/index.ts';
import { ingestRoutes, IngestService, QualityService, ReviewService } from './modules/ingest/index.ts';
import { RevocationService } from './modules/records/index.ts';
import {
  AuthorisationService,
  ChangeFeedService,
  sharingRoutes,
  VerificationService,
} from './modules/sharing/index.ts';
import { ListService, listRoutes } from './modules/lists/index.ts';
import { objectionRoutes, ObjectionService } from './modules/objections/index.ts';
import { repairRoutes, RepairService } from './modules/repairs/index.ts';
import { commitmentRoutes, CommitmentService } from './modules/commitments/index.ts';
import { conductReportRoutes, ConductReportService } from './modules/conduct-reports/index.ts';
import { inspectionRoutes, InspectionService } from './modules/inspections/index.ts';
import { KeyRegistry, keyRoutes, KeyService } from './modules/keys/index.ts';
import { reportRoutes, ReportService } from './modules/reports/index.ts';
import { statsRoutes, StatsService } from './modules/stats/index.ts';
import { EvaluationFollower, evaluationRoutes, EvaluationService } from './modules/evaluation/index.ts';
import {
  FederationApplier,
  FederationRefusedError,
  federationRoutes,
  FederationService,
} from './modules/federation/index.ts';
import {
  NameSearchIndex,
  ownSubject,
  publiclyFindable,
  SearchService,
  shownCode,
} from './modules/subjects/index.ts';
import {
  CheckService,
  checkRoutes,
  ensureShippedLists,
  MeasureService,
  measureRoutes,
} from './modules/measures/index.ts';

export { VERSION } from './version.ts';

/** The web application as `npm install` built it (web/dist), beside src/ and dist/. */
const WEB_ROOT = path.resolve(import.meta.dirname, '..', 'web', 'dist');

export interface Container {
  readonly config: Config;
  readonly logger: Logger;
  readonly database: Database;
  readonly audit: AuditService;
  readonly calendar: CalendarService;
  readonly catalog: CatalogService;
  readonly auth: AuthService;
  readonly accounts: AccountService;
  readonly persons: PersonAccountService;
  readonly ingest: IngestService;
  readonly review: ReviewService;
  readonly revocation: RevocationService;
  readonly quality: QualityService;
  readonly files: CreditFileService;
  readonly search: SearchService;
  /** Name search from memory: started by the server, SQL answers until it is ready. */
  readonly nameIndex: NameSearchIndex;
  readonly authorisations: AuthorisationService;
  readonly verification: VerificationService;
  readonly feed: ChangeFeedService;
  readonly lists: ListService;
  readonly measures: MeasureService;
  readonly checks: CheckService;
  readonly objections: ObjectionService;
  readonly repairs: RepairService;
  readonly commitments: CommitmentService;
  /** Reports of dishonest conduct from the public (举报). */
  readonly conductReports: ConductReportService;
  /** Graded inspection sampling (双随机、一公开): seeds, draws by credit level, the published result. */
  readonly inspections: InspectionService;
  /** The signing keys (Ed25519 or SM2), their registry and their management. */
  readonly keys: KeyService;
  /** Credit reports, signed and verifiable. */
  readonly reports: ReportService;
  /** Public credit evaluation of market entities: models, results, runs. */
  readonly evaluation: EvaluationService;
  /** Keeps the results current from the change feed and once a day: started by the server. */
  readonly evaluationFollower: EvaluationFollower;
  /** This node's place in the federation (single, provincial, national). */
  readonly federation: FederationService;
  /** On the national node, applies what the provinces' subscriptions deliver: started by the server. */
  readonly federationApplier: FederationApplier;
  /** Demo accounts seeded by this start (demo mode, empty database). */
  readonly demoSeeded: readonly string[];
  /** Lines telling a person how to sign in to the demo; empty outside demo mode. */
  demoNotice(): Promise<string[]>;
  /** The shipped base catalog, when this start loaded it into an empty database. */
  readonly catalogLoaded: LoadResult | undefined;
  /** Migrations applied when the container was created. */
  readonly migrationsApplied: readonly string[];
  buildHttpServer(): Promise<FastifyInstance>;
  close(): Promise<void>;
}

/** Raised when the platform must not start as configured. */
export class StartupRefusedError extends Error {
  constructor(readonly localized: Message) {
    super(render('en', localized));
    this.name = 'StartupRefusedError';
  }

  /** Why, in `locale`. */
  messageIn(locale: Locale): string {
    return render(locale, this.localized);
  }
}

/**
 * Demo mode seeds demo accounts into an empty database; production mode seeds nothing and will not
 * start while demo accounts (with their published password) exist.
 */
async function prepareAccounts(config: Config, auth: AuthService, seed: boolean): Promise<string[]> {
  if (config.mode === 'production') {
    const demo = await auth.countUsers({ demo: true });
    if (demo > 0) {
      throw new StartupRefusedError(msg('config.production_demo_accounts', { count: demo }));
    }
    return [];
  }
  return seed && (await auth.countUsers()) === 0 ? seedDemo(auth) : [];
}

export interface ContainerOptions {
  logger?: Logger;
  /** Bring the schema up to date first (default true). */
  migrate?: boolean;
  /** Told what the start is doing, as each step begins (the server prints it). */
  progress?: (step: string) => void;
}

export async function createContainer(config: Config, options: ContainerOptions = {}): Promise<Container> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const progress = options.progress ?? (() => undefined);
  progress(t(config.locale, 'cli.progress.opening_database'));
  const database = await openDatabase(config.database, {
    onConnectionLost: (err) =>
      logger.warn({ err }, 'a database connection was lost; the pool opens a new one'),
    onStaleLock: (holder) =>
      logger.warn(
        { holder },
        `the data directory's lock was left by ${holder.command} (pid ${holder.pid}), which is gone: taken over`,
      ),
    onReplicaChange: (status) =>
      (status.state === 'in_use' ? logger.info.bind(logger) : logger.warn.bind(logger))(
        { replica: status },
        status.state === 'in_use'
          ? 'the read replica serves public reads'
          : `the read replica is ${status.state}: the primary serves public reads`,
      ),
  });
  try {
    if (options.migrate !== false) {
      progress(t(config.locale, 'cli.progress.migrating'));
    }
    const migrationsApplied = options.migrate === false ? [] : await migrateToLatest(database.db);
    const keyRegistry = new KeyRegistry(database.db, {
      keyFile: config.audit.keyFile,
      dir: config.keys.dir,
      algorithm: config.keys.algorithm,
    });
    const audit = new AuditService(database.db, { ...config.audit, keys: keyRegistry }, undefined, (err) =>
      logger.warn({ err }, 'chaining audit events failed; the next round retries'),
    );
    const calendar = new CalendarService(database.db, audit);
    await calendar.refresh();
    const catalog = new CatalogService(database.db, audit);
    // On first start the platform must know what it may hold before anything can be recorded.
    progress(t(config.locale, 'cli.progress.checking_catalog'));
    const catalogLoaded =
      options.migrate === false ? undefined : await catalog.ensureBase({ label: 'system:first-start' });
    const protector = createDataProtector(config.dataKeyFile);
    const auth = new AuthService(database.db, audit, protector, { signIn: config.signIn });
    const accounts = new AccountService(database.db, audit, protector, { signIn: config.signIn });
    const attachments = new AttachmentStore(config.attachmentsDir);
    const persons = new PersonAccountService(database.db, audit, protector, attachments);
    const demoSeeded = await prepareAccounts(config, auth, options.migrate !== false);
    const ingest = new IngestService(database, audit, catalog, protector, () => calendar.current());
    const review = new ReviewService(database.db, audit, catalog, protector);
    const revocation = new RevocationService(database.db, audit, catalog, protector);
    const quality = new QualityService(database.db);
    const authorisations = new AuthorisationService(database.db, audit, catalog, (actor) =>
      ownSubject(database.db, protector, actor),
    );
    const files = new CreditFileService(database.db, audit, catalog, protector, {
      authorisations,
      prepared: database.prepared,
      publicReads: database.reads,
    });
    const feed = new ChangeFeedService(database.db, audit, catalog, protector);
    const verification = new VerificationService(database.db, audit, protector, authorisations, () =>
      todayInShanghai(),
    );
    // Built by the server once it listens (serve), followed from the change feed, stopped at close.
    const nameIndex = new NameSearchIndex(database.db, {
      findable: publiclyFindable,
      shownCode,
      prepared: database.prepared,
      onError: (err) => logger.warn({ err }, 'the name index could not follow the change feed'),
    });
    // Search is the public's: the read replica answers it while it follows closely enough.
    const search = new SearchService(database.reads.db, protector, {
      names: nameIndex,
      prepared: database.reads.prepared,
    });
    const lists: ListService = new ListService(
      database.db,
      audit,
      catalog,
      protector,
      () => calendar.current(),
      {
        measuresOf: async (listType: string): Promise<Array<{ code: string; nameZh: string }>> =>
          (await measures.attached([listType])).map((a) => ({
            code: a.measure.code,
            nameZh: a.measure.nameZh,
          })),
      },
    );
    const measures: MeasureService = new MeasureService(database.db, audit, catalog, lists);
    const checks = new CheckService(database.db, audit, protector, measures, { prepared: database.prepared });
    const objections = new ObjectionService(
      database.db,
      audit,
      protector,
      catalog,
      ingest,
      lists,
      attachments,
      () => calendar.current(),
      () => todayInShanghai(),
    );
    const repairs = new RepairService(
      database.db,
      audit,
      protector,
      catalog,
      lists,
      attachments,
      () => calendar.current(),
      () => todayInShanghai(),
    );
    const commitments = new CommitmentService(database.db, audit, protector, ingest, () => todayInShanghai());
    const conductReports = new ConductReportService(
      database.db,
      audit,
      protector,
      () => calendar.current(),
      () => todayInShanghai(),
      config.conductReports,
    );
    const inspections = new InspectionService(database.db, audit, protector);
    if (options.migrate !== false) {
      progress(t(config.locale, 'cli.progress.checking_lists'));
      await ensureShippedLists(
        { lists, measures, catalog },
        { demo: config.mode === 'demo', warn: (message) => logger.warn(message) },
      );
    }

    const evaluation = new EvaluationService(
      database.db,
      audit,
      catalog,
      protector,
      () => todayInShanghai(),
      (err) => logger.warn({ err }, 'an evaluation run failed'),
    );
    if (options.migrate !== false) {
      await evaluation.ensureShipped({ label: 'system:first-start' });
    }
    const evaluationFollower = new EvaluationFollower(database.db, evaluation, () => todayInShanghai(), {
      onError: (err) => logger.warn({ err }, 'the evaluation could not follow the change feed'),
    });

    const federation = new FederationService(
      database.db,
      audit,
      config.federation ?? { role: 'single' },
      config.database.kind === 'postgresql' ? config.database.url : undefined,
    );
    if (options.migrate !== false) {
      try {
        await federation.prepare();
      } catch (err) {
        throw err instanceof FederationRefusedError ? new StartupRefusedError(err.localized) : err;
      }
    }
    const federationApplier = new FederationApplier(database.db, audit, protector, {
      onError: (err) => logger.warn({ err }, 'changes received from a province could not be applied'),
    });

    const keys = new KeyService(database.db, audit, keyRegistry);
    const reports = new ReportService(database.db, audit, files, catalog, keyRegistry, {
      publicUrl: config.publicUrl,
      publicReads: database.reads.db,
    });

    return {
      config,
      logger,
      database,
      audit,
      keys,
      reports,
      calendar,
      catalog,
      catalogLoaded,
      auth,
      accounts,
      persons,
      ingest,
      review,
      revocation,
      quality,
      files,
      search,
      nameIndex,
      authorisations,
      verification,
      feed,
      lists,
      measures,
      checks,
      objections,
      repairs,
      commitments,
      conductReports,
      inspections,
      evaluation,
      evaluationFollower,
      federation,
      federationApplier,
      demoSeeded,
      demoNotice: async () =>
        config.mode === 'demo' && (await auth.countUsers({ demo: true })) > 0
          ? demoCredentials(config.locale)
          : [],
      migrationsApplied,
      buildHttpServer: () =>
        buildServer({
          logger,
          version: VERSION,
          corsOrigins: config.http.corsOrigins,
          trustProxy: config.http.trustProxy,
          ...(fs.existsSync(path.join(WEB_ROOT, 'index.html')) ? { webRoot: WEB_ROOT } : {}),
          setup: [(app) => setDefaultLocale(app, config.locale), (app) => registerActorResolution(app, auth)],
          securitySchemes: SECURITY_SCHEMES,
          routes: [
            healthRoutes({
              databaseKind: database.kind,
              ping: async () => {
                await sql`select 1`.execute(database.db);
              },
              nameSearch: () => (nameIndex.status().state === 'ready' ? 'index' : 'sql'),
              replica: () => database.reads.replica(),
            }),
            identifierRoutes,
            calendarRoutes(() => calendar.current()),
            catalogRoutes(catalog),
            authRoutes(auth, { mode: config.mode, loginRateLimit: config.http.loginRateLimit }),
            accountRoutes(accounts, persons),
            auditRoutes(audit),
            ingestRoutes({ ingest, review, revocation, quality }),
            disclosureRoutes(files),
            publicRoutes(
              files,
              search,
              new PortalStatsService(database.reads.db),
              config.http.publicRateLimit,
            ),
            sharingRoutes({ files, feed, authorisations, verification }),
            listRoutes(lists),
            measureRoutes(measures),
            checkRoutes(checks),
            objectionRoutes(objections),
            repairRoutes(repairs),
            commitmentRoutes(commitments),
            conductReportRoutes(conductReports, config.conductReports.perHour),
            inspectionRoutes(inspections, config.http.publicRateLimit),
            keyRoutes(keys),
            evaluationRoutes(evaluation),
            federationRoutes(federation),
            reportRoutes(reports, config.http.publicRateLimit),
            statsRoutes(
              new StatsService(
                database.db,
                () => calendar.current(),
                () => todayInShanghai(),
              ),
            ),
          ],
        }),
      close: async () => {
        await nameIndex.stop();
        await evaluationFollower.stop();
        await federationApplier.stop();
        await evaluation.close();
        // Events this process wrote are chained before it lets go of the database.
        await audit.sequencer.stop();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}

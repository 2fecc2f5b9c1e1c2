import path from 'node:path';
import { COMMAND_SOCKET, t, type Config } from '../platform/index.ts';
import { createContainer, type Container } from '../container.ts';
import { listenForCommands, type CommandSocket, type RunCommand } from './command-socket.ts';
import { loadDemoData } from '../demo/index.ts';
import { describeLoad } from './catalog.ts';
import { CHECKPOINT_TICK_MS } from '../modules/audit/index.ts';

/** Starts the platform: migrate, serve, print the addresses. Resolves once listening. */
export async function serve(
  config: Config,
  out: (line: string) => void,
  commandRunner: (container: Container) => RunCommand,
): Promise<void> {
  const { locale } = config;
  const db =
    config.database.kind === 'pglite'
      ? t(locale, 'cli.serve.database_pglite', { dir: config.database.dataDir })
      : t(locale, 'cli.serve.database_postgresql');
  // A first start takes a while (migrations, the catalog, demo data): it says what it is doing.
  out(t(locale, 'cli.serve.starting', { database: db }));
  const step = (what: string) => out(`  ${what}`);
  const container = await createContainer(config, { progress: step });
  const demo = config.demoData ? await loadDemoData(container, step) : { batches: [], showcase: [] };
  const app = await container.buildHttpServer();
  // Holiday tables an operator loads while the server runs are picked up within a few minutes.
  const refresh = setInterval(() => {
    container.calendar
      .refresh()
      .catch((err: unknown) => container.logger.warn({ err }, 'calendar refresh failed'));
  }, 5 * 60_000);
  refresh.unref();
  // Staged rows of abandoned batches go after their retention period: at start, then four times a day.
  const purge = () =>
    container.ingest
      .purgeAbandoned({ kind: 'system', name: 'retention' }, config.abandonedBatchDays)
      .then((r) => {
        if (r.batches.length > 0) {
          container.logger.info(r, 'staged rows of abandoned batches purged');
        }
      })
      .catch((err: unknown) => container.logger.warn({ err }, 'purging abandoned batches failed'));
  // Who reported dishonest conduct is kept for the audit retention period after the answer.
  const forget = () =>
    container.conductReports
      .forgetReporters(config.audit.retentionDays)
      .catch((err: unknown) => container.logger.warn({ err }, 'forgetting reporters past retention failed'));
  await purge();
  await forget();
  const purging = setInterval(() => void purge().then(forget), 6 * 3_600_000);
  purging.unref();
  // The chain's head is signed every XINYONG_CHECKPOINT_MINUTES or _EVENTS: each server asks once a
  // minute, and the one that takes the checkpoint lock signs.
  const anchor = () =>
    container.audit
      .checkpointIfDue(config.audit.schedule)
      .then((r) => {
        if (r.outcome === 'signed') {
          container.logger.info(
            { seq: r.checkpoint.seq, trigger: r.trigger, newEvents: r.newEvents },
            'audit checkpoint signed',
          );
        }
      })
      .catch((err: unknown) => container.logger.warn({ err }, 'signing a scheduled audit checkpoint failed'));
  const anchoring = setInterval(() => void anchor(), CHECKPOINT_TICK_MS);
  anchoring.unref();

  await app.listen({ host: config.http.host, port: config.http.port });
  // Audit events are chained after commit, in rounds every XINYONG_AUDIT_SEAL_MS.
  container.audit.sequencer.start();
  // Name search answers from SQL until the index is built from the database, then from memory.
  container.evaluationFollower.start();
  if (container.federation.role === 'national') {
    container.federationApplier.start();
  }
  void container.nameIndex.start().then(() => {
    const status = container.nameIndex.status();
    container.logger.info(status, 'name index built');
  });
  // The embedded database has one owner, this process: commands typed meanwhile are run here.
  let commands: CommandSocket | undefined;
  if (config.database.kind === 'pglite') {
    const socketPath = path.join(config.database.dataDir, COMMAND_SOCKET);
    commands = await listenForCommands(socketPath, commandRunner(container), (err) =>
      container.logger.error({ err }, 'a command handed to the server failed'),
    );
    if (commands === undefined) {
      container.logger.warn(
        `the data directory's path is too long for a command socket (${socketPath}): commands wait until the server stops`,
      );
    }
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.http.port;
  const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? 'localhost' : config.http.host;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  out(t(locale, 'cli.serve.running', { database: db }));
  if (container.migrationsApplied.length > 0) {
    out(
      `  ${t(locale, 'cli.serve.migrations_applied', { migrations: container.migrationsApplied.join(', ') })}`,
    );
  }
  if (container.catalogLoaded !== undefined) {
    out(`  ${describeLoad(container.catalogLoaded)}`);
  }
  for (const line of await container.demoNotice()) {
    out(`  ${line}`);
  }
  for (const b of demo.batches) {
    out(
      `  ${t(locale, 'cli.serve.demo_batch', { batch: b.batchId, item: b.item, accepted: b.accepted, rejected: b.rejected, duplicates: b.duplicates, review: b.review })}`,
    );
  }
  for (const line of demo.showcase) {
    out(`  ${line}`);
  }
  out(`  ${t(locale, 'cli.serve.portal', { url: `${base}/` })}`);
  out(`  ${t(locale, 'cli.serve.api', { url: `${base}/api` })}`);
  out(`  ${t(locale, 'cli.serve.api_docs', { url: `${base}/api/docs` })}`);
  out(`  ${t(locale, 'cli.serve.health', { url: `${base}/api/health` })}`);
  if (commands !== undefined) {
    out(`  ${t(locale, 'cli.serve.commands', { socket: commands.path })}`);
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    container.logger.info({ signal }, 'stopping');
    clearInterval(refresh);
    clearInterval(purging);
    clearInterval(anchoring);
    void app
      .close()
      .then(() => commands?.close())
      .then(() => container.close())
      .finally(() => process.exit(0));
  };
  // A promise rejected with nobody to hear it would end the process (Node's default): one request's
  // defect must not take the platform down for everyone. It is logged as the defect it is.
  process.on('unhandledRejection', (reason) => {
    container.logger.error({ err: reason }, 'unhandled rejection (a defect): the server goes on');
  });
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

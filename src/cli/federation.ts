/**
 * `xinyong federation status|subscribe|unsubscribe`: a node's place in the federation. A province
 * shows its journal and publication; the nation subscribes to a province (as the database's
 * superuser, which CREATE SUBSCRIPTION needs on PostgreSQL 15) and shows what each delivered.
 */
import type { FederationStatus } from '../modules/federation/index.ts';
import type { Config } from '../platform/index.ts';
import { tr } from './say.ts';
import { withContainer } from './with-container.ts';

type Out = (line: string) => void;

const OPERATOR = { kind: 'system', name: 'cli' } as const;

/** The status as lines in the command's language. */
export function describeStatus(s: FederationStatus): string[] {
  const lines = [tr(`cli.federation.role.${s.role}`, { node: s.node })];
  if (s.published !== undefined) {
    lines.push(
      tr('cli.federation.published', {
        publication: s.published.publication ? 'xinyong_federation' : '-',
        journalled: s.published.journalled,
        shareable: s.published.shareable,
      }),
      ...s.published.slots.map((slot) =>
        tr('cli.federation.slot', {
          name: slot.name,
          state: tr(slot.active ? 'cli.federation.connected' : 'cli.federation.disconnected'),
          lag: slot.lagBytes ?? '-',
        }),
      ),
    );
  }
  for (const o of s.origins ?? []) {
    lines.push(
      tr('cli.federation.origin', {
        origin: o.origin,
        state: tr(o.connected ? 'cli.federation.connected' : 'cli.federation.disconnected'),
        received: o.received,
        applied: o.applied,
        waiting: o.waiting,
        failed: o.failed,
        last: o.lastReceivedAt ?? '-',
      }),
    );
  }
  if (s.role === 'national' && (s.origins ?? []).length === 0) {
    lines.push(tr('cli.federation.no_origins'));
  }
  return lines;
}

export async function status(config: Config, opts: { json?: boolean }, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    const s = await c.federation.status(OPERATOR);
    if (opts.json === true) {
      out(JSON.stringify(s, null, 2));
      return;
    }
    describeStatus(s).forEach((line) => out(line));
  });
}

export async function subscribe(config: Config, origin: string, url: string, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    await c.federation.subscribe(OPERATOR, origin, url);
    out(tr('cli.federation.subscribed', { origin }));
  });
}

export async function unsubscribe(config: Config, origin: string, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    await c.federation.unsubscribe(OPERATOR, origin);
    out(tr('cli.federation.unsubscribed', { origin }));
  });
}

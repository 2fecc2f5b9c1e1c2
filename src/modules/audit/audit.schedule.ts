/**
 * When the server signs a checkpoint on its own: every `minutes` or every `events` events,
 * whichever comes first, and never when nothing but the last checkpoint is new — a checkpoint is
 * itself an event, and an idle platform would otherwise sign one every interval forever.
 */
import type { SignedCheckpoint } from './audit.keys.ts';

/** 0 turns a trigger off; both 0: the server signs no checkpoint of its own. */
export interface CheckpointSchedule {
  minutes: number;
  events: number;
}

/** How often a server asks whether a checkpoint is due (the events trigger is seen this late at most). */
export const CHECKPOINT_TICK_MS = 60_000;

export type CheckpointTrigger = 'events' | 'minutes';

/**
 * off: the schedule has both triggers off; not_elected: another session holds the checkpoint lock
 * (another server is signing); nothing_new: no event since the last checkpoint; not_due: neither
 * trigger has been reached yet.
 */
export type CheckpointSkip = 'off' | 'not_elected' | 'nothing_new' | 'not_due';

/** What one scheduled attempt did. `newEvents`: events since the last checkpoint, when it got that far. */
export type ScheduledCheckpoint =
  | { outcome: 'signed'; trigger: CheckpointTrigger; newEvents: number; checkpoint: SignedCheckpoint }
  | { outcome: 'skipped'; reason: CheckpointSkip; newEvents?: number };

/**
 * Whether a checkpoint is due: `newEvents` appended since the last checkpoint (or since the chain
 * began), the last checkpoint's time (or the first event's) as `since`.
 */
export function checkpointDue(
  schedule: CheckpointSchedule,
  newEvents: number,
  since: Date,
  now: Date,
): { due: true; trigger: CheckpointTrigger } | { due: false; reason: 'nothing_new' | 'not_due' } {
  if (newEvents <= 0) {
    return { due: false, reason: 'nothing_new' };
  }
  if (schedule.events > 0 && newEvents >= schedule.events) {
    return { due: true, trigger: 'events' };
  }
  if (schedule.minutes > 0 && now.getTime() - since.getTime() >= schedule.minutes * 60_000) {
    return { due: true, trigger: 'minutes' };
  }
  return { due: false, reason: 'not_due' };
}

import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A batch's message by its key in the message catalogue and its values, beside the English
  // text: a data clerk reads why a batch failed in their own language. Null for batches whose
  // message was stored before (their English text is all there is) and for messages that are
  // not the platform's (a library's words).
  await sql`alter table batch add column message_key jsonb`.execute(db);
}

/**
 * A form's answer from the API: the platform validates, the page shows the platform's message (in
 * the reader's language) next to the field it names, or above the form when it names none. A
 * request refused because the session ended sends the reader to sign in and back.
 */
import { reactive, ref } from 'vue';
import type { ApiError } from './client';
import { messageOf } from './client';

export interface FormState {
  /** The message for each field the API named, by the field's path (`reason`, `records.0.code`). */
  fields: Record<string, string>;
  /** A message that names no field of the form. */
  general: string;
  busy: boolean;
}

export function useApiForm() {
  const state = reactive<FormState>({ fields: {}, general: '', busy: false });
  const done = ref(false);

  /** Runs one request; its error, when it has one, lands next to its field. True when it succeeded. */
  async function submit(
    send: () => Promise<{ error?: unknown; response: Response }>,
    fieldsOfForm: readonly string[] = [],
  ): Promise<boolean> {
    state.fields = {};
    state.general = '';
    state.busy = true;
    try {
      const { error } = await send();
      if (error === undefined) {
        done.value = true;
        return true;
      }
      const field = (error as Partial<ApiError>).field;
      // The form's field the API named, itself or a part of it (`attachments.0` is `attachments`).
      const named =
        field === undefined ? undefined : fieldsOfForm.find((f) => field === f || field.startsWith(`${f}.`));
      if (named !== undefined) {
        state.fields[named] = messageOf(error);
      } else {
        state.general = messageOf(error);
      }
      return false;
    } catch (failure) {
      state.general = messageOf(failure instanceof Error ? failure.message : failure);
      return false;
    } finally {
      state.busy = false;
    }
  }

  return { state, done, submit };
}

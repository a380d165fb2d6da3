import { ApiError } from './api-client.js';
import { h, replace, uid } from './dom.js';

/** Options of {@link createSwitch}. */
export interface SwitchOptions {
  /** Id of the element that names the switch (the category's or integration's heading). */
  readonly labelledBy: string;
  /** Id of the element that says what switching it does. */
  readonly describedBy: string;
  readonly checked: boolean;
  readonly disabled?: boolean;
  /** `data-*` attributes that identify it. */
  readonly data: Record<string, string>;
  /** Saves the wanted state; resolves with the state now in force and a sentence for the owner. */
  readonly save: (wanted: boolean) => Promise<{ readonly on: boolean; readonly message: string }>;
}

/**
 * A labelled on/off switch: a native checkbox with role=switch (Space toggles it), its state in
 * words next to it, and a polite status line. A failed save puts the switch back and says why.
 */
export function createSwitch(options: SwitchOptions): HTMLElement {
  const id = uid('switch');
  const state = h('span', { class: 'switch-state' }, options.checked ? 'On' : 'Off');
  const message = h('span', { class: 'switch-message', role: 'status' });
  const data = Object.fromEntries(Object.entries(options.data).map(([k, v]) => [`data-${k}`, v]));
  const input = h('input', { type: 'checkbox', role: 'switch', id, 'aria-labelledby': options.labelledBy, 'aria-describedby': options.describedBy, checked: options.checked, disabled: options.disabled === true, ...data });
  input.addEventListener('change', () => {
    const wanted = input.checked;
    input.disabled = true;
    input.setAttribute('aria-busy', 'true');
    replace(message, 'Saving…');
    options
      .save(wanted)
      .then(({ on, message: text }) => {
        input.checked = on;
        replace(message, text);
      })
      .catch((err: unknown) => {
        input.checked = !wanted;
        replace(message, h('span', { class: 'error-text' }, `Not saved: ${err instanceof ApiError ? err.message : String(err)}`));
      })
      .finally(() => {
        replace(state, input.checked ? 'On' : 'Off');
        input.disabled = false;
        input.removeAttribute('aria-busy');
      });
  });
  return h('div', { class: 'switch-wrap' }, h('label', { class: 'switch', for: id }, input, state), message);
}

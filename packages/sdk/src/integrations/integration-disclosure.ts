import type { FieldChoice, IntegrationField } from './shape-delivery.js';

/** The kinds of third-party integration. */
export const INTEGRATION_KINDS = {
  webhook: 'Webhook',
  speaker: 'Speaker',
  'voice-assistant': 'Voice assistant',
  scrobbler: 'Scrobbler',
} as const;

/** A kind of integration. */
export type IntegrationKind = keyof typeof INTEGRATION_KINDS;

/** One field as the privacy tab shows it. */
export interface FieldDisclosure {
  readonly name: string;
  readonly why: string;
  /** What the owner chose (or the default, until they do). */
  readonly choice: FieldChoice;
  /** What leaves for this field now, in words. */
  readonly sends: string;
  /** Every choice the owner has, with what it sends. */
  readonly options: readonly { readonly choice: FieldChoice; readonly sends: string }[];
}

/** One integration as the privacy tab shows it: what goes where, and whether it may. */
export interface IntegrationDisclosure {
  readonly id: string;
  readonly kind: IntegrationKind;
  readonly kindLabel: string;
  readonly title: string;
  readonly purpose: string;
  readonly destination: string;
  /** Whether the owner turned this integration on. */
  readonly granted: boolean;
  /** Whether the third-party integrations category is on. */
  readonly categoryGranted: boolean;
  /** Whether deliveries leave now: both of the above. */
  readonly active: boolean;
  readonly decidedAt: string | null;
  /** How a receiver can tell a delivery came from this server, in words. */
  readonly signing: string;
  readonly fields: readonly FieldDisclosure[];
  /** One paragraph: what is sent, where, and whether it is sent now. */
  readonly summary: string;
}

/** The state a disclosure is made from. */
export interface DisclosureInput {
  readonly id: string;
  readonly kind: IntegrationKind;
  readonly title: string;
  readonly purpose: string;
  readonly destination: string;
  readonly fields: readonly IntegrationField[];
  readonly signed: boolean;
  readonly granted: boolean;
  readonly categoryGranted: boolean;
  readonly decidedAt: string | null;
  choiceOf(name: string): FieldChoice;
}

const EXACT = 'the exact value';
const OMITTED = 'nothing: this field is not sent';

function sendsFor(field: IntegrationField, choice: FieldChoice): string {
  if (choice === 'omitted') return OMITTED;
  if (choice === 'generalized' && field.generalize !== undefined) return field.generalize.describe();
  return EXACT;
}

/** Describes an integration for the privacy tab, field by field, in words. Pure. */
export function describeIntegration(input: DisclosureInput): IntegrationDisclosure {
  const fields = input.fields.map((field): FieldDisclosure => {
    const choice = input.choiceOf(field.name);
    const choices: FieldChoice[] = field.generalize === undefined ? ['exact', 'omitted'] : ['exact', 'generalized', 'omitted'];
    return { name: field.name, why: field.why, choice, sends: sendsFor(field, choice), options: choices.map((c) => ({ choice: c, sends: sendsFor(field, c) })) };
  });
  const active = input.granted && input.categoryGranted;
  const leaving = fields.filter((f) => f.choice !== 'omitted').map((f) => `${f.name} (${f.sends})`);
  const state = active
    ? 'It is on: deliveries leave as they happen.'
    : !input.categoryGranted
      ? 'Nothing is sent: third-party integrations are turned off.'
      : 'Nothing is sent: this integration is turned off.';
  const summary = `${INTEGRATION_KINDS[input.kind]} "${input.title}" sends to ${input.destination}: ${leaving.length > 0 ? leaving.join('; ') : 'no fields'}. ${state}`;
  return {
    id: input.id,
    kind: input.kind,
    kindLabel: INTEGRATION_KINDS[input.kind],
    title: input.title,
    purpose: input.purpose,
    destination: input.destination,
    granted: input.granted,
    categoryGranted: input.categoryGranted,
    active,
    decidedAt: input.decidedAt,
    signing: input.signed
      ? 'Each delivery carries a Candor-Signature header: an HMAC-SHA256 of its timestamp and body under a secret shared with the receiver, so that the receiver can check it came from this server, unaltered and recent.'
      : 'Deliveries are not signed.',
    fields,
    summary,
  };
}

/** Why the SDK dropped an event; every drop is counted under one of these and shown in the privacy tab. */
export const DROP_REASONS = {
  consent_denied: 'its category is turned off',
  telemetry_disabled: 'telemetry is turned off for the whole server (CANDOR_TELEMETRY=off)',
  not_yet_effective: 'its event starts with a catalog version that is not yet in effect',
  invalid_event: 'the host passed a value the catalog cannot generalize',
  sampled_out: "it was not among the period's uniform sample (linkage limit)",
  period_limit: "its event had already reached the catalog's bound of reports for the period (linkage limit)",
  buffer_full: 'more events arrived in one turn of the event loop than the in-memory buffer holds',
  queue_full: 'the outbox was full; the oldest events were dropped',
  expired: 'it waited in the outbox longer than allowed',
  send_failed: 'the collector kept failing and retries were exhausted',
  rejected: 'the collector refused it permanently (4xx)',
  purged: 'its category was turned off while it waited to be sent',
  deleted: 'the owner asked to delete their data while it waited to be sent',
  storage_error: 'the data directory could not be written (for example, the disk is full)',
  shutdown: 'the process stopped before it could be stored',
} as const;

/** A drop reason. */
export type DropReason = keyof typeof DROP_REASONS;

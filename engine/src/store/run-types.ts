/**
 * What the store keeps of a run: its XState snapshot (the context below), its status and phase,
 * its history. Declared here, at the bottom, so the store needs nothing above it; the pure core
 * and the workers build on these.
 */

/** A customer event as a run sees it (and keeps it, as its last event). */
export interface EventView {
  type: string;
  data: Record<string, unknown>;
  occurredAt: string;
  id?: string;
}

/** The machine context of a run: what journeys read as `run.*`, and how it ended. */
export interface RunContext {
  vars: Record<string, unknown>;
  steps: Record<string, unknown>;
  lastEvent: EventView | null;
  outcome: string | null;
  error: { code: string; message: string; step?: string } | null;
}

/** What a run is doing in its state: running steps, waiting for an event or time, or ended. */
export type Phase = 'steps' | 'wait-event' | 'wait-delay' | 'end';

/** The part of an XState snapshot Tend stores (runs.snapshot). */
export interface PersistedSnapshot {
  value: unknown;
  context: RunContext;
}

export type RunStatus = 'active' | 'completed' | 'failed' | 'cancelled';

/** A run as the pure transition code needs it. */
export interface RunPosition {
  id: string;
  workflowId: string;
  version: number;
  customerId: string;
  key: string | null;
  startedAt: string;
  /** How many states the run has entered: the occurrence number of the current one. */
  entry: number;
  snapshot: PersistedSnapshot;
  /** The event type a step that answered `{status: 'wait'}` is waiting for. */
  awaiting: string | null;
}

/** One line of a run's history. */
export interface HistoryEntry {
  at: Date;
  type: string;
  state: string | null;
  step: string | null;
  detail: Record<string, unknown> | null;
}

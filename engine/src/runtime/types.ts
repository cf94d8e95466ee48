import type { Phase } from '../compiler/compile.ts';
import type { EventView, RunContext } from '../compiler/scope.ts';

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

/** Work a transition asks for, created as jobs in the same transaction as the new snapshot. */
export type Effect =
  | { kind: 'step'; state: string; index: number; entry: number; key: string; uses: string }
  | { kind: 'timer'; state: string; entry: number; dueAt: Date; purpose: 'delay' | 'timeout' };

export interface HistoryEntry {
  at: Date;
  type: string;
  state: string | null;
  step: string | null;
  detail: Record<string, unknown> | null;
}

/** Where a run stands after a transition, and what must happen next. */
export interface Advanced {
  snapshot: PersistedSnapshot;
  entry: number;
  state: string;
  phase: Phase;
  step: number | null;
  status: RunStatus;
  outcome: string | null;
  effects: Effect[];
  history: HistoryEntry[];
  /** State entries made by this call (the benchmark's unit of work). */
  transitions: number;
}

/** Engine events sent into a run; customer events travel as EventView. */
export type EngineEvent =
  | { type: 'tend.step.done'; output: Record<string, unknown> }
  | { type: 'tend.step.failed'; error: { code: string; message: string; kind?: string } }
  | { type: 'tend.timer' };

export type { EventView };

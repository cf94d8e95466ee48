import type {
  EventView,
  HistoryEntry,
  PersistedSnapshot,
  Phase,
  RunPosition,
  RunStatus,
} from '../store/run-types.ts';

/** Work a transition asks for, created as jobs in the same transaction as the new snapshot. */
export type Effect =
  | { kind: 'step'; state: string; index: number; entry: number; key: string; uses: string }
  | { kind: 'timer'; state: string; entry: number; dueAt: Date; purpose: 'delay' | 'timeout' };

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

export type { EventView, HistoryEntry, PersistedSnapshot, RunPosition, RunStatus };

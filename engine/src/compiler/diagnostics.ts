/**
 * Guards are pure functions called inside XState's transition; a condition that cannot be
 * evaluated counts as false (DESIGN §3) and the run's history says why. Guards report here, and
 * the runtime collects around each synchronous transition call.
 */
export interface Diagnostic {
  expression: string;
  reason: string;
}

let sink: Diagnostic[] | null = null;

export function reportDiagnostic(d: Diagnostic): void {
  sink?.push(d);
}

/** Runs a synchronous function and returns what its guards reported. */
export function collectDiagnostics<T>(fn: () => T): [T, Diagnostic[]] {
  const previous = sink;
  const collected: Diagnostic[] = [];
  sink = collected;
  try {
    return [fn(), collected];
  } finally {
    sink = previous;
  }
}

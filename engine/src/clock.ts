/**
 * The engine's clock. Every time Tend decides with or records comes from one (RuntimeDeps.now,
 * AppServices.now, StepServices.now), never from the database's `now()` nor a bare `new Date()`:
 * with two clocks, a time recorded by one and compared by the other is off by their difference,
 * which tests (a TestClock) and operators (TEND_CLOCK_OFFSET) make years.
 */
export type Clock = () => Date;

/** The machine's time moved by `offsetMs` (TEND_CLOCK_OFFSET: run as if it were another date). */
export function systemClock(offsetMs = 0): Clock {
  return () => new Date(Date.now() + offsetMs);
}

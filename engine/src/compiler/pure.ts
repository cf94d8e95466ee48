import { type AnyStateMachine, createActor } from 'xstate';

type Snapshot = ReturnType<AnyStateMachine['getInitialSnapshot']>;
type Action = { type: string; params?: Record<string, unknown> };

/**
 * XState's pure `transition()` builds a throwaway actor (and computes the machine's initial
 * state) on every call; at thousands of transitions a second that was the single biggest cost of
 * a transition. This does the same pure computation with one inert scope per machine: actions are
 * collected, never executed.
 */
export function pureTransitions(machine: AnyStateMachine) {
  const self = createActor(machine);
  let collected: Action[] = [];
  const scope = {
    self,
    defer: () => {},
    id: '',
    logger: () => {},
    sessionId: '',
    stopChild: () => {},
    system: self.system,
    emit: () => {},
    actionExecutor: (action: Action) => {
      collected.push(action);
    },
  };
  const run = (compute: () => Snapshot): [Snapshot, Action[]] => {
    collected = [];
    const next = compute();
    return [next, collected];
  };
  return {
    initial: (input: unknown) => run(() => machine.getInitialSnapshot(scope as never, input)),
    transition: (snapshot: Snapshot, event: { type: string }) =>
      run(() => machine.transition(snapshot, event as never, scope as never)),
  };
}

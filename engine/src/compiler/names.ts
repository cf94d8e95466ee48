/** Names the compiler gives to the machine's parts; the runtime reads snapshots through them. */
export const stateId = (name: string) => `state:${name}`;
export const target = (name: string) => `#${stateId(name)}`;

/** Hidden top-level states; user state names cannot start with "_". */
export const EXIT_STATE = '__exit';
export const FAILED_STATE = '__failed';
export const endState = (name: string) => `__end_${name}`;

/** Sub-states of a user state. */
export const stepSub = (index: number) => `step${index}`;
export const WAIT_SUB = 'wait';
export const ROUTE_SUB = 'route';

/** Events the engine sends to a run (customer event types may not use the `tend.` prefix). */
export const EV_STEP_DONE = 'tend.step.done';
export const EV_STEP_FAILED = 'tend.step.failed';
export const EV_TIMER = 'tend.timer';
export const EV_EXIT = 'tend.exit';

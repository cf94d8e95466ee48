import type { ExperimentWinners } from '../compiler/experiment-route.ts';
import type { TransitionEnv } from '../compiler/scope.ts';
import type { CustomerView } from '../customers/types.ts';
import type { HourProfile } from '../store/engagement-hours.ts';
import type { RunPosition } from './types.ts';

/** The world as one run sees it at one moment. */
export function envFor(
  customer: CustomerView | undefined,
  run: Pick<RunPosition, 'id' | 'key' | 'startedAt' | 'workflowId' | 'version' | 'customerId'>,
  now: Date,
  defaultZone: string,
  /** The split experiments' winners (workers/experiments-refresh.ts) and the customer's hours (best-time waits). */
  { experiments, hours }: { experiments?: ExperimentWinners; hours?: HourProfile | undefined } = {},
): TransitionEnv {
  const view = customer ?? {
    id: run.customerId,
    attributes: {},
    tags: [],
    timezone: null,
    createdAt: now.toISOString(),
  };
  return {
    customer: view,
    now,
    zone: view.timezone ?? defaultZone,
    ...(hours ? { hours } : {}),
    run: {
      id: run.id,
      key: run.key,
      startedAt: run.startedAt,
      workflowId: run.workflowId,
      version: run.version,
    },
    ...(experiments ? { experiments } : {}),
  };
}

/** A customer Tend knows nothing about yet (all fields empty). */
export function blankCustomer(id: string, now: Date): CustomerView {
  return {
    id,
    email: null,
    phone: null,
    name: null,
    birthday: null,
    timezone: null,
    locale: null,
    owner: null,
    attributes: {},
    tags: [],
    consent: {},
    stage: null,
    rfm: null,
    predicted: null,
    createdAt: now.toISOString(),
  };
}

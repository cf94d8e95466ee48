/**
 * The contract between Tend and its plugins (DESIGN §5).
 *
 * A plugin is a workspace package whose default export is a {@link PluginManifest}. The engine
 * loads the manifest, validates each step's `with:` against `configSchema` when a workflow is
 * stored, and calls `run(ctx)` when a customer reaches the step.
 */

export { definePlugin } from './define.ts';
export { DURATION_PATTERN, durationMs } from './duration.ts';
export type { JsonSchema } from './json-schema.ts';
export { LIQUID_LIMITS } from './liquid-limits.ts';
export type {
  BackgroundContext,
  BackgroundJob,
  CustomerRfm,
  FileIssue,
  FileKind,
  JourneyInfo,
  PluginManifest,
  StepContext,
  StepCustomer,
  StepDefinition,
  StepEvent,
  StepLogger,
  StepPreview,
  StepResult,
  StepRetryPolicy,
  StepRun,
  StepStore,
} from './manifest.ts';
export {
  type CheckOutboundOptions,
  checkOutboundUrl,
  forbiddenAddress,
  type OutboundAllowlist,
  type OutboundTarget,
  parseOutboundAllow,
  pinnedLookup,
} from './outbound-url.ts';
export type * from './services.ts';
export { isStepError, StepError, type StepErrorKind } from './step-error.ts';

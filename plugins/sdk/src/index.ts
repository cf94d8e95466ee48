/**
 * The contract between Tend and its plugins (DESIGN §5), SDK v2.
 *
 * A plugin is a workspace package whose default export is a {@link PluginDefinition}: its steps,
 * its own tables and migrations, HTTP routes and public pages, the events it emits, settings,
 * background jobs, files, texts in English and 简体中文, and how it takes part in a person's
 * export and erasure. What it may touch of the engine comes through {@link PluginContext}.
 */

export {
  type BodyShape,
  bodyShape,
  MAX_JSON_DEPTH,
  parseJson,
  readJson,
  readJsonText,
  readOptionalJson,
} from './body.ts';
export { CachedToken } from './cached-token.ts';
export { CONSENT_CHANNELS, MESSAGE_CHANNELS } from './channels.ts';
export { CSV_BOM, csvLine, toCsv } from './csv.ts';
export { dateParam, parseTimeCursor, timeCursor } from './cursor.ts';
export type { CustomerPredicted, CustomerRfm, StepCustomer } from './customer.ts';
export { PROFILE_FIELDS, RFM_SEGMENTS } from './customer.ts';
export { definePlugin } from './define.ts';
export {
  callErrcodeApi,
  callWithToken,
  type ErrcodeAnswer,
  type ErrcodePlatform,
  fetchAccessToken,
} from './errcode-api.ts';
export type { EventDefinition } from './events.ts';
export type { FileIssue, FileKind } from './files.ts';
export { escapeHtml } from './html.ts';
export {
  bodyLimit,
  type Caller,
  type Context,
  callerOf,
  Hono,
  HttpError,
  inScope,
  isHttpError,
  type MiddlewareHandler,
  type Permission,
  type PluginEnv,
  readsThatMayLag,
  requires,
} from './http.ts';
export type { BackgroundContext, BackgroundJob } from './job.ts';
export type { JsonSchema } from './json-schema.ts';
export { LIQUID_LIMITS } from './liquid-limits.ts';
export {
  journeyScope,
  type MessagingService,
  type SendOutcome,
  type SendRequest,
  sendResult,
} from './messaging.ts';
export {
  type MessagingProvider,
  messagingProvider,
  type PlatformTemplate,
  type ProviderMessage,
  parseSendingLimit,
  providerService,
  SENDING_LIMIT_PATTERN,
  type SendingLimit,
} from './messaging-provider.ts';
export { type OutboundAnswer, requestOutbound } from './outbound-request.ts';
export {
  type CheckOutboundOptions,
  checkOutboundUrl,
  forbiddenAddress,
  localProviderProblem,
  type OutboundAllowlist,
  type OutboundTarget,
  parseOutboundAllow,
  pinnedLookup,
} from './outbound-url.ts';
export type { FacetDefinition, PluginApi, PluginDefinition, PluginManifest, PluginRoutes } from './plugin.ts';
export { pluginApis } from './plugin.ts';
export type { PluginContext, PluginContext as StepServices } from './plugin-context.ts';
export { type EncryptedColumns, ERASED_TEXT, type PrivacyHooks, type TimelineEntry } from './privacy.ts';
export type { RouteAccess, RouteDoc, RouteDocs, RouteParameter, RouteResponse } from './route-docs.ts';
export { schemaProblem } from './schema-problem.ts';
export type * from './services.ts';
export type {
  CheckContext,
  ConfigIssue,
  JourneyInfo,
  StepContext,
  StepDefinition,
  StepEvent,
  StepLogger,
  StepPreview,
  StepResult,
  StepRetryPolicy,
  StepRun,
  StepStore,
} from './step.ts';
export { isStepError, StepError, type StepErrorKind } from './step-error.ts';
export * from './store.ts';
export { didYouMean } from './suggest.ts';
export type { TaskRequest, TaskService } from './tasks.ts';
export { LOCALES, type Locale, type Localized, localize } from './text.ts';
export * from './time/index.ts';
export { type YamlProblem, yamlFileIssues } from './yaml-file.ts';

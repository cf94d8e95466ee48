import { asResult, journeyScope, sendMessage } from '@tend/plugin-messaging';
import { definePlugin, type StepDefinition, StepError } from '@tend/plugin-sdk';
import { surveyCatalog, surveyIssues, surveyKind, text } from './catalog.ts';

export { type ParsedAnswers, readAnswers } from './answers.ts';
export { type SurveyDef, scoreQuestion, surveyCatalog, surveyKind } from './catalog.ts';
export { messagePage, type PageLocale, pageLocale, surveyPage } from './page.ts';

interface SendSurveyConfig {
  survey: string;
  channel: 'email' | 'sms';
  template?: string;
}

const RETRY = { attempts: 6, backoffSeconds: 2, timeoutSeconds: 60 };

const send: StepDefinition<SendSurveyConfig> = {
  name: 'send',
  title: 'Send a survey',
  description:
    'Sends the customer a personal link to a survey (NPS, CSAT or your own questions) by email or SMS. The answer arrives as the event survey.answered with the survey, the score and the answers: wait for it to branch.',
  awaits: [],
  configSchema: {
    type: 'object',
    properties: {
      survey: {
        type: 'string',
        title: 'Survey',
        description: 'A survey in workflows/surveys/, e.g. nps, csat or churn-reason',
        pattern: '^[a-z0-9][a-z0-9-]*$',
      },
      channel: { type: 'string', title: 'Channel', enum: ['email', 'sms'], default: 'email' },
      template: {
        type: 'string',
        title: 'Invitation template',
        description: 'The message carrying the link (default: survey-invite)',
        pattern: '^[a-z0-9][a-z0-9-]*$',
      },
    },
    required: ['survey', 'channel'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      status: { enum: ['sent', 'skipped'] },
      survey: { type: 'string' },
      linkId: { type: 'string' },
    },
    required: ['status', 'survey'],
  },
  retry: RETRY,
  run: async (ctx) => {
    const { services } = ctx;
    const catalog = surveyCatalog(services.settings.workflowsDir);
    const def = catalog.get(ctx.config.survey);
    if (!def) {
      throw new StepError('unknown_survey', `no survey "${ctx.config.survey}" in workflows/surveys/`, {
        kind: 'user',
        retryable: false,
      });
    }
    const locale = (ctx.customer.locale as string | null | undefined) ?? null;
    const link = await services.surveys.createLink(
      {
        key: ctx.idempotencyKey,
        survey: def.id,
        customerId: ctx.customer.id,
        workflowId: ctx.run.workflowId,
        runId: ctx.run.id,
        channel: ctx.config.channel,
        locale,
        segment: ctx.customer.rfm?.segment ?? null,
        stage: ctx.customer.stage ?? null,
        expiresAt: new Date(ctx.now.getTime() + catalog.lifetimeMs(def)),
      },
      ctx.now,
    );
    const url = `${services.settings.publicUrl()}/s/${services.links.sign({ s: link.id }, link.expiresAt)}`;
    const title = text(def.title, locale ?? services.settings.defaultLocale);
    const outcome = await sendMessage(services, {
      key: ctx.idempotencyKey,
      channel: ctx.config.channel,
      template: ctx.config.template ?? 'survey-invite',
      customer: ctx.customer,
      purpose: 'journey',
      workflowId: ctx.run.workflowId,
      runId: ctx.run.id,
      limits: ctx.journey.limits,
      scope: { ...journeyScope(ctx), survey: { id: def.id, kind: surveyKind(def), title, url } },
      now: ctx.now,
      signal: ctx.signal,
      final: (error) => !(error as { retryable?: boolean }).retryable || ctx.attempt >= RETRY.attempts,
    });
    return asResult(outcome, { survey: def.id, linkId: link.id });
  },
  preview: (ctx) => ({
    summary: `send survey "${ctx.config.survey}" by ${ctx.config.channel}`,
    output: { status: 'sent', survey: ctx.config.survey, linkId: 'preview' },
  }),
};

/** Surveys: NPS, CSAT and custom questions on a hosted page behind signed links. */
export default definePlugin({
  name: 'surveys',
  version: '1.0.0',
  title: 'Surveys',
  description: 'NPS, CSAT and custom surveys; answers come back as the event survey.answered.',
  steps: [send],
  files: [
    {
      folder: 'surveys',
      title: 'Survey definitions: questions, languages, link lifetime',
      async validate(path, content) {
        if (!/^surveys\/[a-z0-9][a-z0-9-]*\.ya?ml$/.test(path))
          return [{ line: 0, column: 0, message: 'surveys are named surveys/<id>.yaml' }];
        return surveyIssues(content);
      },
    },
  ],
});

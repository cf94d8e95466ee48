import { randomUUID } from 'node:crypto';
import {
  journeyScope,
  type MessagingService,
  type StepDefinition,
  StepError,
  sendResult,
} from '@tend/plugin-sdk';
import { surveyCatalog, surveyKind, text } from './catalog.ts';
import { checkSendSurvey } from './check-send.ts';
import { createLink } from './surveys-store.ts';

interface SendSurveyConfig {
  survey: string;
  channel: 'email' | 'sms';
  template?: string;
}

const RETRY = { attempts: 6, backoffSeconds: 2, timeoutSeconds: 60 };

export const sendSurvey: StepDefinition<SendSurveyConfig> = {
  name: 'send',
  title: { en: 'Send a survey', 'zh-CN': '发送问卷' },
  description: {
    en: 'Sends the customer a personal link to a survey (NPS, CSAT or your own questions) by email or SMS. The answer arrives as the event survey.answered with the survey, the score and the answers: wait for it to branch.',
    'zh-CN':
      '通过邮件或短信向客户发送个人问卷链接（NPS、CSAT 或自定义问题）。回答以事件 survey.answered 返回，包含问卷、分数和答案：等待它即可分支。',
  },
  awaits: [],
  configSchema: {
    type: 'object',
    properties: {
      survey: {
        type: 'string',
        title: 'Survey',
        description: 'A survey in workflows/surveys/, e.g. nps, csat or churn-reason',
        'x-zh-CN': {
          title: '问卷',
          description: 'workflows/surveys/ 中的问卷，如 nps、csat 或 churn-reason',
        },
        pattern: '^[a-z0-9][a-z0-9-]*$',
      },
      channel: {
        type: 'string',
        title: 'Channel',
        'x-zh-CN': { title: '渠道' },
        enum: ['email', 'sms'],
        default: 'email',
      },
      template: {
        type: 'string',
        title: 'Invitation template',
        description: 'The message carrying the link (default: survey-invite)',
        'x-zh-CN': { title: '邀请模板', description: '携带链接的消息（默认：survey-invite）' },
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
  check: checkSendSurvey,
  run: async (ctx) => {
    const { services } = ctx;
    const catalog = surveyCatalog(services.host.workflowsDir);
    const def = catalog.get(ctx.config.survey);
    if (!def) {
      throw new StepError('unknown_survey', `no survey "${ctx.config.survey}" in workflows/surveys/`, {
        kind: 'user',
        retryable: false,
      });
    }
    const locale = (ctx.customer.locale as string | null | undefined) ?? null;
    const link = await createLink(services.db, {
      id: randomUUID(),
      key: ctx.idempotencyKey,
      survey: def.id,
      customer_id: ctx.customer.id,
      workflow_id: ctx.run.workflowId,
      run_id: ctx.run.id,
      channel: ctx.config.channel,
      locale,
      segment: ctx.customer.rfm?.segment ?? null,
      stage: ctx.customer.stage ?? null,
      created_at: ctx.now,
      expires_at: new Date(ctx.now.getTime() + catalog.lifetimeMs(def)),
    });
    const url = `${services.host.publicUrl()}/s/${services.links.sign({ s: link.id }, link.expires_at)}`;
    const title = text(def.title, locale ?? services.host.defaultLocale);
    const outcome = await services.use<MessagingService>('messaging').send({
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
    return sendResult(outcome, { survey: def.id, linkId: link.id });
  },
  preview: (ctx) => ({
    summary: `send survey "${ctx.config.survey}" by ${ctx.config.channel}`,
    output: { status: 'sent', survey: ctx.config.survey, linkId: 'preview' },
  }),
};

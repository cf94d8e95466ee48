import { definePlugin } from '@tend/plugin-sdk';
import { surveyIssues } from './catalog.ts';
import { surveyPages } from './pages.ts';
import { surveyPageDocs, surveysDocs } from './route-docs.ts';
import { surveysApi } from './routes.ts';
import { sendSurvey } from './send-step.ts';
import { answersOf, customerSurveys, eraseSurveys, MIGRATIONS } from './surveys-store.ts';

/** Surveys: NPS, CSAT and custom questions on a hosted page behind signed links. */
export default definePlugin({
  name: 'surveys',
  version: '2.0.0',
  title: { en: 'Surveys', 'zh-CN': '问卷' },
  description: {
    en: 'NPS, CSAT and custom surveys; answers come back as the event survey.answered.',
    'zh-CN': 'NPS、CSAT 和自定义问卷；回答以事件 survey.answered 返回。',
  },
  steps: [sendSurvey],
  migrations: MIGRATIONS,
  requires: ['messaging'],
  events: [
    {
      type: 'survey.answered',
      title: { en: 'Survey answered', 'zh-CN': '问卷已回答' },
      description: {
        en: 'The customer answered a survey sent by surveys.send',
        'zh-CN': '客户回答了 surveys.send 发送的问卷',
      },
      dataSchema: {
        type: 'object',
        properties: {
          survey: { type: 'string' },
          score: { type: ['integer', 'null'] },
          answers: { type: 'object' },
          workflow: { type: ['string', 'null'] },
          run: { type: ['string', 'null'] },
        },
      },
    },
  ],
  routes: {
    api: { app: surveysApi, openapi: surveysDocs },
    public: { paths: ['/s'], app: surveyPages, openapi: surveyPageDocs },
  },
  privacy: {
    async export(customerId, ctx) {
      return { surveys: await customerSurveys(ctx.db, customerId) };
    },
    erase: (from, to, ctx) => eraseSurveys(ctx.db, from, to, ctx.now()),
  },
  async timeline(customerId, limit, ctx) {
    return (await answersOf(ctx.db, customerId, limit)).map((a) => ({
      at: a.answered_at,
      kind: 'survey',
      type: a.survey,
      summary: {
        en: `answered ${a.survey}${a.score === null ? '' : ` (${a.score})`}`,
        'zh-CN': `回答了 ${a.survey}${a.score === null ? '' : `（${a.score}）`}`,
      },
      detail: { link: a.link_id, score: a.score, answers: a.answers },
    }));
  },
  files: [
    {
      folder: 'surveys',
      title: {
        en: 'Survey definitions: questions, languages, link lifetime',
        'zh-CN': '问卷定义：问题、语言、链接有效期',
      },
      async validate(path, content) {
        if (!/^surveys\/[a-z0-9][a-z0-9-]*\.ya?ml$/.test(path))
          return [{ line: 0, column: 0, message: 'surveys are named surveys/<id>.yaml' }];
        return surveyIssues(content);
      },
    },
  ],
});

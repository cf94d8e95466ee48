import { definePlugin, ERASED_TEXT } from '@tend/plugin-sdk';
import { changeView, complaintView } from './complaint-view.ts';
import { changesOf, complaintsOf, eraseComplaints, MIGRATIONS } from './complaints-store.ts';
import { watchDeadlines } from './deadlines.ts';
import { COMPLAINT_EVENTS } from './events.ts';
import { formRoutes } from './form-routes.ts';
import { POLICY_FILE, policyFor, policyIssues } from './policy.ts';
import { complaintFormDocs, complaintsDocs } from './route-docs.ts';
import { complaintsApi } from './routes.ts';
import { COMPLAINT_STEPS } from './steps.ts';

const STATUS = {
  open: { en: 'open', 'zh-CN': '待处理' },
  acknowledged: { en: 'acknowledged', 'zh-CN': '已受理' },
  resolved: { en: 'resolved', 'zh-CN': '已解决' },
  closed: { en: 'closed', 'zh-CN': '已关闭' },
} as const;

/**
 * Complaints (README "Service desk"): taken in by a hosted form, the API or a journey; routed to
 * an owner; deadlines for the first response and for resolution in the owner's team's working
 * hours; every change an event journeys wait for; figures for the analysis.
 */
export default definePlugin({
  name: 'complaints',
  version: '1.0.0',
  title: { en: 'Complaints', 'zh-CN': '投诉' },
  description: {
    en: 'Complaints with owners, deadlines in working hours, escalation and a hosted complaint form.',
    'zh-CN': '投诉：负责人、按工作时间计算的期限、逐级升级，以及托管的投诉表单。',
  },
  steps: COMPLAINT_STEPS,
  events: COMPLAINT_EVENTS,
  migrations: MIGRATIONS,
  requires: ['messaging', 'tasks'],
  routes: {
    api: { app: (ctx) => complaintsApi(ctx, policyFor(ctx.host)), openapi: complaintsDocs },
    public: {
      paths: ['/complain'],
      app: (ctx) => formRoutes(ctx, policyFor(ctx.host)),
      openapi: complaintFormDocs,
    },
  },
  background: [{ name: 'deadlines', everySeconds: 30, run: watchDeadlines }],
  files: [
    {
      folder: 'service',
      title: {
        en: 'How complaints are handled: categories, deadlines, teams, escalation',
        'zh-CN': '投诉处理规则：类别、期限、团队、升级',
      },
      async validate(path, content) {
        if (path !== POLICY_FILE)
          return [{ line: 0, column: 0, message: `the complaints policy is ${POLICY_FILE}` }];
        return policyIssues(content);
      },
    },
  ],
  privacy: {
    encrypted: [
      { table: 'complaints', key: 'id', columns: ['description_enc', 'resolution_enc'] },
      { table: 'complaint_changes', key: 'id', columns: ['note_enc'] },
    ],
    async export(customerId, ctx) {
      const now = ctx.now();
      const rows = await complaintsOf(ctx.db, customerId, 100_000);
      return {
        complaints: await Promise.all(
          rows.reverse().map(async (r) => ({
            ...complaintView(r, ctx.crypto, now),
            changes: (await changesOf(ctx.db, r.id)).map((ch) => changeView(ch, ctx.crypto)),
          })),
        ),
      };
    },
    erase: (from, to, ctx) => eraseComplaints(ctx.db, from, to, ctx.crypto.encrypt(ERASED_TEXT)),
  },
  async timeline(customerId, limit, ctx) {
    const rows = await complaintsOf(ctx.db, customerId, limit);
    return rows.map((r) => {
      const text = ctx.crypto.decrypt(r.description_enc);
      const short = text.length > 80 ? `${text.slice(0, 80)}…` : text;
      return {
        at: r.received_at,
        kind: 'complaint',
        type: r.status,
        summary: {
          en: `complaint (${r.category}, ${r.severity}, ${STATUS[r.status].en}): ${short}`,
          'zh-CN': `投诉（${r.category}，${r.severity}，${STATUS[r.status]['zh-CN']}）：${short}`,
        },
        detail: {
          id: r.id,
          owner: r.owner,
          status: r.status,
          category: r.category,
          severity: r.severity,
          csat: r.csat,
        },
      };
    });
  },
});

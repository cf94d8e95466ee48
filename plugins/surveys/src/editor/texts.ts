/** The surveys screens' texts, in every language the editor speaks. */
export const TEXT = {
  title: { en: 'Surveys', 'zh-CN': '问卷' },
  none: { en: 'No surveys in workflows/surveys.', 'zh-CN': 'workflows/surveys 中没有问卷。' },
  results: { en: 'Survey results', 'zh-CN': '问卷结果' },
  resultsTitle: { en: 'Results of {id}', 'zh-CN': '{id} 的结果' },
  sent: { en: 'Sent', 'zh-CN': '已发送' },
  answered: { en: 'Answered', 'zh-CN': '已回答' },
  responseRate: { en: 'Response rate', 'zh-CN': '回复率' },
  satisfied: { en: '{share} satisfied', 'zh-CN': '满意 {share}' },
  noAnswers: { en: 'No answers yet.', 'zh-CN': '还没有回答。' },
  chartCaption: { en: 'Answers per score', 'zh-CN': '各分数的回答数' },
  score: { en: 'Score', 'zh-CN': '分数' },
  count: { en: 'Answers', 'zh-CN': '回答数' },
  loading: { en: 'Loading…', 'zh-CN': '加载中…' },
  failed: { en: 'Could not load {what}: {message}', 'zh-CN': '无法加载{what}：{message}' },
} as const;

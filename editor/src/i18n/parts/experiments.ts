import { defineTexts } from './define-texts.ts';

/** A split as an experiment: its settings and its numbers, on the split's inspector. */
export const experimentsTexts = defineTexts({
  en: {
    'experiment.title': 'Experiment',
    'experiment.make': 'Make it an experiment',
    'experiment.remove': 'Stop being an experiment',
    'experiment.goalEvent': 'Goal: the event that counts as converting',
    'experiment.goalOutcome': 'or the outcome the run ends with',
    'experiment.window': 'Window',
    'experiment.windowHint': 'the goal counts this long after entering an arm, e.g. 7d',
    'experiment.pick': 'When an arm wins',
    'experiment.pickAuto': 'Send new customers down the winner',
    'experiment.pickOff': 'Only measure',
    'experiment.holdout': 'Holdout',
    'experiment.holdoutHint': 'share of new customers still split as written, e.g. 10%',
    'experiment.arm': 'Arm',
    'experiment.entered': 'Entered',
    'experiment.converted': 'Converted',
    'experiment.rate': 'Rate (95 % interval)',
    'experiment.pBest': 'Probability to be best',
    'experiment.ofEntered': '{converted} of {entered}',
    'experiment.flow':
      'Not counted yet (window still open): {open}. Sent down the winner since the decision: {followed}.',
    'experiment.winner': 'Winner: {arm}, decided {at}',
    'experiment.winnerWhy':
      'Its probability to be best was {p}, at least {threshold}, with {min} or more customers per arm whose window had closed.',
    'experiment.noWinner': 'No winner, decided {at}',
    'experiment.noWinnerWhy':
      'Every arm reached {max} customers and none was best with {threshold}: the split goes on as written.',
    'experiment.waitingSample':
      'Not decided: every arm needs {min} customers whose window closed (fewest: {n}).',
    'experiment.waitingProbability':
      'Not decided: the highest probability to be best is {p}, below {threshold}.',
    'experiment.method':
      'Bayesian Beta-Binomial: an arm wins at a probability to be best of {threshold} with {min} customers per arm; no winner after {max} per arm. At most 5 % false winners among equal arms.',
    'experiment.notPublished': 'Numbers appear once this version is published and customers enter.',
  },
  'zh-CN': {
    'experiment.title': '实验',
    'experiment.make': '设为实验',
    'experiment.remove': '取消实验',
    'experiment.goalEvent': '目标：算作转化的事件',
    'experiment.goalOutcome': '或运行结束时的结果',
    'experiment.window': '时间窗口',
    'experiment.windowHint': '进入分支后多长时间内达成目标才算，例如 7d',
    'experiment.pick': '某个分支胜出后',
    'experiment.pickAuto': '新客户走胜出分支',
    'experiment.pickOff': '只做统计',
    'experiment.holdout': '对照组',
    'experiment.holdoutHint': '仍按原比例分配的新客户占比，例如 10%',
    'experiment.arm': '分支',
    'experiment.entered': '进入',
    'experiment.converted': '转化',
    'experiment.rate': '转化率（95% 区间）',
    'experiment.pBest': '最优概率',
    'experiment.ofEntered': '{entered} 人中 {converted} 人',
    'experiment.flow': '尚未计入（窗口未结束）：{open}。决定后走胜出分支：{followed}。',
    'experiment.winner': '胜出：{arm}，决定于 {at}',
    'experiment.winnerWhy':
      '其最优概率为 {p}，不低于 {threshold}，且每个分支至少有 {min} 位窗口已结束的客户。',
    'experiment.noWinner': '无胜出者，决定于 {at}',
    'experiment.noWinnerWhy':
      '每个分支都已达到 {max} 位客户，没有分支以 {threshold} 的概率最优：继续按原比例分配。',
    'experiment.waitingSample': '尚未决定：每个分支需要 {min} 位窗口已结束的客户（最少的为 {n}）。',
    'experiment.waitingProbability': '尚未决定：最高的最优概率为 {p}，低于 {threshold}。',
    'experiment.method':
      '贝叶斯 Beta-二项模型：某分支最优概率达到 {threshold} 且每个分支有 {min} 位客户时胜出；每个分支达到 {max} 位仍无胜出者则停止。分支相同时误判胜出不超过 5%。',
    'experiment.notPublished': '发布此版本并有客户进入后，这里会显示数据。',
  },
});

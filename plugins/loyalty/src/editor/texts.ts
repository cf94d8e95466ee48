/** The loyalty panel's texts, in every language the editor speaks. */
export const TEXT = {
  title: { en: 'Points and tier', 'zh-CN': '积分与会员等级' },
  balance: { en: 'Balance', 'zh-CN': '积分余额' },
  earned: { en: 'Earned in all', 'zh-CN': '累计获得' },
  tier: { en: 'Tier', 'zh-CN': '会员等级' },
  noTier: { en: 'none yet', 'zh-CN': '暂无' },
  when: { en: 'When', 'zh-CN': '时间' },
  points: { en: 'Points', 'zh-CN': '积分' },
  reason: { en: 'Reason', 'zh-CN': '原因' },
  after: { en: 'Balance after', 'zh-CN': '变动后余额' },
  declined: { en: 'declined (balance too small)', 'zh-CN': '未兑换（余额不足）' },
  noEntries: { en: 'No points yet.', 'zh-CN': '还没有积分记录。' },
  failed: { en: 'Could not load {what}: {message}', 'zh-CN': '无法加载{what}：{message}' },
} as const;

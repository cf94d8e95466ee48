/** The referrals panel's texts, in every language the editor speaks. */
export const TEXT = {
  title: { en: 'Referrals', 'zh-CN': '推荐' },
  code: { en: 'Referral code', 'zh-CN': '推荐码' },
  link: { en: 'Referral link', 'zh-CN': '推荐链接' },
  none: { en: 'No referral code yet.', 'zh-CN': '还没有推荐码。' },
  create: { en: 'Create referral link', 'zh-CN': '生成推荐链接' },
  signedUp: { en: 'Friends signed up', 'zh-CN': '已注册的朋友' },
  converted: { en: 'Of them ordered', 'zh-CN': '其中已下单' },
  referredBy: { en: 'Referred by', 'zh-CN': '推荐人' },
  friend: { en: 'Friend', 'zh-CN': '朋友' },
  joined: { en: 'Signed up', 'zh-CN': '注册时间' },
  firstOrder: { en: 'First order', 'zh-CN': '首单时间' },
  notYet: { en: 'not yet', 'zh-CN': '尚未下单' },
  failed: { en: 'Could not load {what}: {message}', 'zh-CN': '无法加载{what}：{message}' },
} as const;

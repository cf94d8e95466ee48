/** The brand screen's texts, in every language the editor speaks. */
export const TEXT = {
  title: { en: 'Brand', 'zh-CN': '品牌' },
  intro: {
    en: 'What every message shows of your company: the header, the signature under each email, the sender name and links. Templates read it as {{ brand.name }}, {{ brand.address }}, {{ brand.servicePhone }}…',
    'zh-CN':
      '每条消息中展示的公司信息：邮件页眉、每封邮件下方的签名、发件人名称和链接。模板中以 {{ brand.name }}、{{ brand.address }}、{{ brand.servicePhone }} 等读取。',
  },
  nameEn: { en: 'Company name (English)', 'zh-CN': '公司名称（英文）' },
  nameZh: { en: 'Company name (Chinese)', 'zh-CN': '公司名称（中文）' },
  addressEn: { en: 'Address (English)', 'zh-CN': '地址（英文）' },
  addressZh: { en: 'Address (Chinese)', 'zh-CN': '地址（中文）' },
  logoUrl: { en: 'Logo (https URL of an image)', 'zh-CN': 'Logo（图片的 https 地址）' },
  servicePhone: { en: 'Service phone', 'zh-CN': '客服电话' },
  serviceEmail: { en: 'Service email', 'zh-CN': '客服邮箱' },
  websiteUrl: { en: 'Website', 'zh-CN': '网站' },
  senderName: { en: 'Sender name (email "From")', 'zh-CN': '发件人名称（邮件“发件人”）' },
  languageHelp: {
    en: 'A message in Chinese uses the Chinese texts, others the English ones; an empty one is filled from the other language.',
    'zh-CN': '中文消息使用中文内容，其他语言使用英文内容；某一语言留空时使用另一语言的内容。',
  },
  save: { en: 'Save brand', 'zh-CN': '保存品牌信息' },
  saved: {
    en: 'Saved. New messages use it within a few seconds.',
    'zh-CN': '已保存，几秒内的新消息都会使用。',
  },
  preview: { en: 'Signature preview', 'zh-CN': '签名预览' },
  readOnly: {
    en: 'Only admins and operators may change the brand.',
    'zh-CN': '只有管理员和运营人员可以修改品牌信息。',
  },
  failed: { en: 'Could not load {what}: {message}', 'zh-CN': '无法加载{what}：{message}' },
} as const;

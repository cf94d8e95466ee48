/**
 * The one list of the plugins that come with Tend: the only place in the engine that names a
 * plugin. TEND_PLUGINS adds more (package names or file paths).
 */
export const SHIPPED_PLUGINS: string[] = [
  '@tend/plugin-tagging',
  '@tend/plugin-messaging',
  '@tend/plugin-surveys',
  '@tend/plugin-tasks',
  '@tend/plugin-loyalty',
  '@tend/plugin-complaints',
  '@tend/plugin-referrals',
  '@tend/plugin-sms-aliyun',
  '@tend/plugin-sms-tencent',
  '@tend/plugin-wecom',
  '@tend/plugin-wechat-oa',
];

/** The plugin modules an installation loads: the shipped ones and those TEND_PLUGINS names. */
export const installedPlugins = (config: { plugins: string[] }): string[] => [
  ...SHIPPED_PLUGINS,
  ...config.plugins,
];

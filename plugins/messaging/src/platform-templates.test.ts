import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { templateFiles } from './template-files.ts';
import { TemplateLibrary } from './templates.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'tend-platform-'));
mkdirSync(path.join(dir, 'templates', 'sms'), { recursive: true });
const SHIPPED = `---
templateCode: 1110
signName: 腾讯云
params:
  name: "{{ customer.name }}"
  order: "{{ data.order | upcase }}"
---
【腾讯云】{{ customer.name }}，您的订单 {{ data.order }} 已发货。
`;
writeFileSync(path.join(dir, 'templates', 'sms', 'shipped.zh-CN.liquid'), SHIPPED);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const noFile = async () => null;

describe('SMS templates that name a platform template', () => {
  it('render the platform template’s parameters in order, and the body without the front matter', async () => {
    const rendered = await new TemplateLibrary(dir).render('sms', 'shipped', 'zh-CN', 'en', {
      customer: { name: '李雷' },
      data: { order: 'a-1' },
    });
    expect(rendered.text).toBe('【腾讯云】李雷，您的订单 a-1 已发货。');
    expect(rendered.platform).toEqual({
      templateCode: '1110',
      signName: '腾讯云',
      params: { name: '李雷', order: 'A-1' },
    });
    expect(Object.keys(rendered.platform?.params ?? {})).toEqual(['name', 'order']);
  });

  it('are checked on push: a code, params as Liquid texts', async () => {
    expect(await templateFiles.validate('templates/sms/shipped.zh-CN.liquid', SHIPPED, noFile)).toEqual([]);
    const broken = '---\nsignName: ""\nparams:\n  name: "{{ customer.name "\n  list: [1, 2]\n---\nHi\n';
    const issues = (await templateFiles.validate('templates/sms/broken.en.liquid', broken, noFile)).map(
      (i) => i.message,
    );
    expect(issues).toEqual([
      expect.stringContaining('no templateCode'),
      expect.stringContaining('signName'),
      expect.stringContaining('params.name: Liquid'),
      expect.stringContaining('params.list is a text'),
    ]);
    const plain = await templateFiles.validate('templates/wechat/hello.en.liquid', 'Hello', noFile);
    expect(plain.map((i) => i.message)).toEqual([expect.stringContaining('front matter')]);
  });
});

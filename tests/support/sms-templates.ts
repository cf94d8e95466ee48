import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A workflows folder holding one SMS template, `shipped`, in English and Chinese, whose front
 * matter names the platform template (`templateCode`, `signName`, `params`) as installations
 * write it for SMS platforms in China; and `plain`, text without one.
 */
export async function smsTemplateFolder(templateCode: string, signName: string): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'tend-sms-'));
  await mkdir(path.join(root, 'templates', 'sms'), { recursive: true });
  const front = `---\ntemplateCode: ${templateCode}\nsignName: ${signName}\nparams:\n  name: "{{ customer.name }}"\n  order: "{{ data.order }}"\n---\n`;
  await writeFile(
    path.join(root, 'templates', 'sms', 'shipped.zh-CN.liquid'),
    `${front}【${signName}】{{ customer.name }}，您的订单 {{ data.order }} 已发货。\n`,
  );
  await writeFile(
    path.join(root, 'templates', 'sms', 'shipped.en.liquid'),
    `${front}[${signName}] {{ customer.name }}, your order {{ data.order }} has shipped.\n`,
  );
  // Text only, as the signed-HTTP provider takes it: an SMS platform cannot send it.
  await writeFile(path.join(root, 'templates', 'sms', 'plain.en.liquid'), 'Your order has shipped.\n');
  return root;
}

/** A journey that texts the customer when an order ships (it may run again for every order). */
export const shippedJourney = `
id: shipped
name: Order shipped
trigger: { event: order.shipped }
entry: { reenter: always }
start: text
states:
  text:
    steps:
      - id: sms
        uses: messaging.send
        with: { channel: sms, template: shipped, data: { order: "{{ event.data.order }}" } }
    end: done
`;

import { definePlugin } from '@tend/plugin-sdk';
import { sendStep } from './send-step.ts';
import { templateFiles } from './template-files.ts';

export { type SendOutcome, type SendRequest, sendMessage } from './deliver.ts';
export { asResult, journeyScope } from './send-step.ts';

/**
 * Messaging: email, SMS and webhooks from Liquid/MJML templates, with consent, one-click
 * unsubscribe, quiet hours, frequency caps and an outbox that records every send and skip.
 */
export default definePlugin({
  name: 'messaging',
  version: '1.0.0',
  title: 'Messaging',
  description: 'Email, SMS and webhooks from templates, respecting consent, quiet hours and frequency caps.',
  steps: [sendStep],
  files: [templateFiles],
});

import { defineEditorPlugin } from '@tend/plugin-sdk/editor';
import { CustomerReferrals } from './customer-referrals.tsx';
import { TEXT } from './texts.ts';

/** The referrals plugin in the editor: a customer's code, link and the friends they brought. */
export default defineEditorPlugin({
  name: 'referrals',
  screens: [],
  customer: [{ id: 'referrals', title: TEXT.title, component: CustomerReferrals }],
});

import { defineEditorPlugin } from '@tend/plugin-sdk/editor';
import { CustomerPoints } from './customer-points.tsx';
import { TEXT } from './texts.ts';

/** The loyalty plugin in the editor: a customer's points and tier on their profile. */
export default defineEditorPlugin({
  name: 'loyalty',
  screens: [],
  customer: [{ id: 'points', title: TEXT.title, component: CustomerPoints }],
});

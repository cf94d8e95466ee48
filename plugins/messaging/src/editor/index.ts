import { defineEditorPlugin } from '@tend/plugin-sdk/editor';
import { BrandScreen } from './brand-screen.tsx';
import { TEXT } from './texts.ts';

/** The messaging plugin in the editor: the brand every message shows. */
export default defineEditorPlugin({
  name: 'messaging',
  screens: [{ path: '/brand', title: TEXT.title, nav: true, component: BrandScreen }],
  customer: [],
});

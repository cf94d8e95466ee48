import { defineEditorPlugin } from '@tend/plugin-sdk/editor';
import { ComplaintFigures } from './complaint-figures.tsx';
import { ComplaintsPage } from './complaints-page.tsx';
import { CustomerComplaints } from './customer-complaints.tsx';
import { TEXT } from './texts.ts';

/** The complaints plugin in the editor: the service desk's list and analysis, and a profile panel. */
export default defineEditorPlugin({
  name: 'complaints',
  screens: [{ path: '/complaints', title: TEXT.title, nav: true, forStaff: true, component: ComplaintsPage }],
  customer: [{ id: 'complaints', title: TEXT.customerPanel, component: CustomerComplaints }],
  dashboard: [
    {
      id: 'complaints',
      title: TEXT.dashboard,
      component: ({ host }) => <ComplaintFigures host={host} version={0} titled={false} />,
    },
  ],
});

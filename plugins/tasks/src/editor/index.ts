import { defineEditorPlugin } from '@tend/plugin-sdk/editor';
import { CustomerFollowups } from './customer-followups.tsx';
import { CustomerTasks } from './customer-tasks.tsx';
import { TaskInbox } from './task-inbox.tsx';
import { TEXT } from './texts.ts';

/** The tasks plugin in the editor: each person's inbox, and a customer's tasks on their profile. */
export default defineEditorPlugin({
  name: 'tasks',
  screens: [{ path: '/tasks', title: TEXT.title, nav: true, forStaff: true, component: TaskInbox }],
  customer: [
    { id: 'tasks', title: TEXT.customerPanel, component: CustomerTasks },
    { id: 'followups', title: TEXT.followups, component: CustomerFollowups },
  ],
});

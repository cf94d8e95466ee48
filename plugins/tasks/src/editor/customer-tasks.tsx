import { type EditorHost, useLoad } from '@tend/plugin-sdk/editor';
import { useState } from 'react';
import type { Task } from './task.ts';
import { TaskTable } from './task-table.tsx';
import { TEXT } from './texts.ts';

/** On a customer's profile: their open tasks first, then the done ones. */
export function CustomerTasks({ host, customerId }: { host: EditorHost; customerId?: string }) {
  const [version, setVersion] = useState(0);
  const id = customerId ?? '';
  const tasks = useLoad(`customer-tasks:${id}:${version}`, async () => {
    const [open, done] = await Promise.all([
      host.get<{ tasks: Task[]; now: string }>('/api/tasks', { customer: id, status: 'open' }),
      host.get<{ tasks: Task[] }>('/api/tasks', { customer: id, status: 'done', limit: '20' }),
    ]);
    return { tasks: [...open.tasks, ...done.tasks], now: open.now };
  });
  if (tasks.error)
    return (
      <p role="alert">{host.text(TEXT.failed, { what: host.text(TEXT.title), message: tasks.error })}</p>
    );
  if (!tasks.data) return null;
  return (
    <TaskTable
      host={host}
      tasks={tasks.data.tasks}
      now={tasks.data.now}
      showCustomer={false}
      onChanged={() => setVersion((v) => v + 1)}
    />
  );
}

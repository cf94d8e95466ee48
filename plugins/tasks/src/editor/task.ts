/** A task as `GET /api/tasks` answers it. */
export interface Task {
  id: string;
  customerId: string;
  assignee: string;
  title: string;
  note: string | null;
  status: 'open' | 'done';
  overdue: boolean;
  dueAt: string;
  completedAt: string | null;
  completedBy: string | null;
  outcome: string | null;
  completionNote: string | null;
  workflowId: string | null;
}

export type Bucket = 'overdue' | 'today' | 'upcoming' | 'done';
export const BUCKETS: Bucket[] = ['overdue', 'today', 'upcoming', 'done'];

/**
 * The service the tasks plugin provides to other plugins (`use<TaskService>('tasks')`): a task
 * in a person's inbox, made once per key, so a complaint's escalation or a plugin's follow-up
 * lands in the same inbox as a journey's tasks.
 */
export interface TaskService {
  create(request: TaskRequest): Promise<{ taskId: string; assignee: string; dueAt: Date; created: boolean }>;
}

export interface TaskRequest {
  /** One task per key, however often it is asked for. */
  key: string;
  customerId: string;
  assignee: string;
  title: string;
  note?: string | null;
  dueAt: Date;
  workflowId?: string | null;
  runId?: string | null;
}

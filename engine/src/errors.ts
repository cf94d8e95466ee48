import { HttpError } from '@tend/plugin-sdk';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** One problem in a workflow file (or another document), located for a human. */
export interface ValidationIssue {
  /** JSON path inside the document, e.g. `states.ask.on.timeout`; '' for the whole file. */
  path: string;
  /** 1-based; 0 when the problem has no single place (e.g. an empty file). */
  line: number;
  column: number;
  message: string;
}

/**
 * An error the API answers with `{error:{code,message}}` and this status: the SDK's one error
 * type of HTTP routes, so the engine's routes and plugins' answer alike.
 */
export class AppError extends HttpError {
  declare readonly status: ContentfulStatusCode;
  constructor(status: ContentfulStatusCode, code: string, message: string, details?: unknown) {
    super(status, code, message, details);
  }
}

export const badRequest = (message: string, details?: unknown) =>
  new AppError(400, 'bad_request', message, details);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const conflict = (message: string) => new AppError(409, 'conflict', message);

/** 422 carrying located issues, as the workflow routes answer invalid YAML. */
export class ValidationFailed extends AppError {
  readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[]) {
    super(422, 'invalid_workflow', summarize(issues), issues);
    this.issues = issues;
  }
}

function summarize(issues: ValidationIssue[]): string {
  const first = issues[0];
  if (!first) return 'invalid';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return `line ${first.line}, column ${first.column}: ${first.message}${more}`;
}

/**
 * Why one item of a partial batch was refused: a 4xx's message, named from the item (the shape
 * checker names problems from the request body, but an item is not the body).
 */
export function itemMessage(error: unknown): string | null {
  if (!(error instanceof HttpError) || error.status >= 500) return null;
  return error.message.replace(/\bbody\./g, '').replace(/\bbody: /g, '');
}

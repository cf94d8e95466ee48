/** Who caused a failure: the journey's configuration or data (`user`), or the system (`engine`). */
export type StepErrorKind = 'user' | 'engine';

/**
 * The one error type a step reports. `retryable` errors are retried with the step's backoff;
 * the others (and retryable ones that ran out of attempts) are routed by the journey.
 */
export class StepError extends Error {
  readonly code: string;
  readonly kind: StepErrorKind;
  readonly retryable: boolean;

  constructor(
    code: string,
    message: string,
    options: { kind?: StepErrorKind; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'StepError';
    this.code = code;
    this.kind = options.kind ?? 'engine';
    this.retryable = options.retryable ?? this.kind === 'engine';
  }

  toJSON(): { code: string; kind: StepErrorKind; retryable: boolean; message: string } {
    return { code: this.code, kind: this.kind, retryable: this.retryable, message: this.message };
  }
}

/** True for StepErrors, also across copies of this package (duck-typed on purpose). */
export function isStepError(value: unknown): value is StepError {
  return (
    value instanceof StepError ||
    (typeof value === 'object' &&
      value !== null &&
      (value as { name?: unknown }).name === 'StepError' &&
      typeof (value as { code?: unknown }).code === 'string')
  );
}

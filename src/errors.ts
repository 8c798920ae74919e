// Errors a user can cause are values with a message that names the fix; the CLI prints the
// message and exits non-zero. Anything else that throws is a bug and keeps its stack.

export type SeamtestErrorCode =
  | 'usage'
  | 'not-a-project'
  | 'unreadable-project'
  | 'invalid-map'
  | 'unknown-framework'
  | 'bad-output-dir'
  | 'dependency-down'
  | 'not-implemented';

export class SeamtestError extends Error {
  override readonly name = 'SeamtestError';
  constructor(
    readonly code: SeamtestErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isSeamtestError(error: unknown): error is SeamtestError {
  return error instanceof SeamtestError;
}

/** The first problem zod found, as `path: message`, for a one-line error. */
export function firstIssue(error: {
  issues: readonly { path: PropertyKey[]; message: string }[];
}): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}` : 'invalid';
}

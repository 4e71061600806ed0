/**
 * An error that says which call failed and why, after the SDK's retries: the error's name
 * (LimitExceededException, AccessDenied, TimeoutError, ...) and message, and how many
 * attempts were made.
 */
export function describeAwsError(error: unknown, what: string): Error {
  if (!(error instanceof Error)) return new Error(`${what}: ${String(error)}`);
  const attempts = (error as { $metadata?: { attempts?: number } }).$metadata
    ?.attempts;
  const retried = attempts ? ` (after ${attempts} attempts)` : '';
  const described = new Error(
    `${what}: ${error.name}: ${error.message}${retried}`,
  );
  described.name = error.name;
  return described;
}

/** The name of an error the SDK threw for an AWS error code (`DataUnavailableException`, ...). */
export function awsErrorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/**
 * Cost Explorer's answer when there is nothing to report, such as Savings Plans utilization
 * of an account that holds no plan: no data, not a failure.
 */
export const DATA_UNAVAILABLE = 'DataUnavailableException';

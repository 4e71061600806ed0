import { InputError } from '@backstage/errors';
import { RecommendationStateInput } from '@costscope/backstage-plugin-common';
import { z } from 'zod/v3';
import { isCalendarDay } from '../lib/dates';

/** Longest reason accepted, in characters. */
export const MAX_REASON_LENGTH = 500;

const STATES = ['open', 'dismissed', 'snoozed'] as const;

const body = z
  .object(
    {
      state: z.enum(STATES, {
        errorMap: () => ({ message: `must be one of ${STATES.join(', ')}` }),
      }),
      reason: z.string({ invalid_type_error: 'must be a string' }).optional(),
      until: z
        .string({ invalid_type_error: 'must be a date string' })
        .optional(),
    },
    {
      invalid_type_error: 'the body must be a JSON object',
      required_error: 'the body must be a JSON object',
    },
  )
  .strict();

function describeIssue(issue: z.ZodIssue): string {
  const field = issue.path.join('.');
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    const keys = issue.keys.map(key => `'${key.slice(0, 40)}'`).join(', ');
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}`;
  }
  if (
    issue.code === z.ZodIssueCode.invalid_type &&
    issue.received === 'undefined' &&
    field
  ) {
    return `${field} is required`;
  }
  return field ? `${field} ${issue.message}` : issue.message;
}

/**
 * Reads a dismiss, snooze or reopen request: a reason (trimmed, at most 500 characters) to
 * dismiss or snooze, and for a snooze the day it ends, after `today` (YYYY-MM-DD, UTC).
 * Throws `InputError` naming the field.
 */
export function parseRecommendationState(
  input: unknown,
  today: string,
): RecommendationStateInput {
  const parsed = body.safeParse(input);
  const fail = (problem: string) =>
    new InputError(`invalid recommendation state: ${problem}`);
  if (!parsed.success) {
    throw fail(parsed.error.issues.map(describeIssue).join('; '));
  }
  const { state, until } = parsed.data;
  if (state === 'open') {
    if (until !== undefined) throw fail('until is only allowed to snooze');
    return { state };
  }
  const reason = parsed.data.reason?.trim() ?? '';
  if (reason === '') throw fail(`reason is required to set a tip ${state}`);
  if ([...reason].length > MAX_REASON_LENGTH) {
    throw fail(`reason must be at most ${MAX_REASON_LENGTH} characters`);
  }
  if (state === 'dismissed') {
    if (until !== undefined) throw fail('until is only allowed to snooze');
    return { state, reason };
  }
  if (until === undefined) throw fail('until is required to snooze');
  if (!isCalendarDay(until)) {
    throw fail(`until '${until.slice(0, 20)}' is not a date YYYY-MM-DD`);
  }
  if (until <= today) {
    throw fail(`until must be after today (${today})`);
  }
  return { state, reason, until };
}

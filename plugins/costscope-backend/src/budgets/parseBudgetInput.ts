import { InputError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  BudgetInput,
  BudgetPeriod,
  BudgetThreshold,
  COST_BASES,
  moneyToNanos,
  nanosToMoney,
} from '@costscope/backstage-plugin-common';
import { z } from 'zod/v3';

/** The thresholds of a budget that names none: 50, 80, 100 % of actual, 100 % of forecast. */
export const DEFAULT_THRESHOLDS: readonly BudgetThreshold[] = [
  { kind: 'actual', percent: 50 },
  { kind: 'actual', percent: 80 },
  { kind: 'actual', percent: 100 },
  { kind: 'forecast', percent: 100 },
];

/** Largest budget amount accepted: a trillion in the billing currency. */
export const MAX_BUDGET_AMOUNT = 1_000_000_000_000n;
export const MAX_THRESHOLDS = 10;
export const MAX_RECIPIENTS = 50;

const PERIODS: BudgetPeriod[] = ['monthly', 'quarterly', 'annual'];
const MAX_NANOS = MAX_BUDGET_AMOUNT * 1_000_000_000n;
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,252}$/;

const amount = z
  .string({ invalid_type_error: 'must be a decimal string such as "1200.50"' })
  .superRefine((value, ctx) => {
    const fail = (message: string) =>
      ctx.addIssue({ code: z.ZodIssueCode.custom, message });
    if (/^[-+]?\d*\.?\d*e[-+]?\d+$/i.test(value.trim()) && /\d/.test(value)) {
      fail(`'${value}' must not use exponent notation`);
    } else if (/^\s*-/.test(value)) {
      fail('must be greater than zero');
    } else if (/^\d+\.\d{10,}$/.test(value)) {
      fail('must have at most 9 decimal places');
    } else if (!/^\d+(\.\d+)?$/.test(value)) {
      fail(`'${value.slice(0, 40)}' is not a decimal number such as "1200.50"`);
    } else if (moneyToNanos(value) === 0n) {
      fail('must be greater than zero');
    } else if (moneyToNanos(value) > MAX_NANOS) {
      fail(`must be at most ${MAX_BUDGET_AMOUNT}`);
    }
  });

const threshold = z
  .object({
    kind: z.enum(['actual', 'forecast'], {
      errorMap: () => ({ message: "must be 'actual' or 'forecast'" }),
    }),
    percent: z
      .number({ invalid_type_error: 'must be a number' })
      .gt(0, 'must be greater than 0')
      .lte(1000, 'must be at most 1000')
      .refine(
        value => Number.isInteger(value * 100) || Number.isInteger(value),
        'must be an integer or a decimal with at most 2 places',
      ),
  })
  .strict();

const thresholds = z
  .array(threshold, { invalid_type_error: 'must be an array' })
  .max(MAX_THRESHOLDS, `must have at most ${MAX_THRESHOLDS} entries`)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((item, index) => {
      const key = `${item.kind} ${item.percent}`;
      if (seen.has(key)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [index],
          message: `repeats ${item.kind} ${item.percent} %`,
        });
      }
      seen.add(key);
    });
  });

const recipient = z
  .string({ invalid_type_error: 'must be an entity ref string' })
  .transform((value, ctx) => {
    const normalised = normaliseRecipient(value);
    if (!normalised) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `'${value.slice(
          0,
          80,
        )}' is not a user or group entity ref such as group:default/team-a`,
      });
      return z.NEVER;
    }
    return normalised;
  });

const budgetBody = z
  .object(
    {
      amount,
      period: z.enum(['monthly', 'quarterly', 'annual'], {
        errorMap: () => ({ message: `must be one of ${PERIODS.join(', ')}` }),
      }),
      currency: z.string({ invalid_type_error: 'must be a currency code' }),
      thresholds: thresholds.optional(),
      recipients: z
        .array(recipient, { invalid_type_error: 'must be an array' })
        .max(MAX_RECIPIENTS, `must have at most ${MAX_RECIPIENTS} entries`)
        .optional(),
      costBasis: z
        .enum(['effective', 'billed'], {
          errorMap: () => ({
            message: `must be one of ${COST_BASES.join(', ')}`,
          }),
        })
        .optional(),
    },
    { invalid_type_error: 'the budget must be a JSON object' },
  )
  .strict();

function normaliseRecipient(value: string): string | undefined {
  let ref;
  try {
    ref = parseEntityRef(value);
  } catch {
    return undefined;
  }
  const kind = ref.kind.toLocaleLowerCase('en-US');
  if (kind !== 'user' && kind !== 'group') return undefined;
  if (!NAME.test(ref.namespace) || !NAME.test(ref.name)) return undefined;
  return stringifyEntityRef({ ...ref, kind }).toLocaleLowerCase('en-US');
}

function fieldName(path: Array<string | number>): string {
  let name = '';
  for (const part of path) {
    if (typeof part === 'number') name += `[${part}]`;
    else name += name ? `.${part}` : part;
  }
  return name;
}

function describeIssue(issue: z.ZodIssue): string {
  const field = fieldName(issue.path);
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    const keys = issue.keys.map(key => `'${key.slice(0, 40)}'`).join(', ');
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}${
      field ? ` in ${field}` : ''
    }`;
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
 * Reads a budget sent by an editor, normalised: the amount with 9 decimals, thresholds
 * defaulted and sorted (actual before forecast, ascending), recipients as full lower-case
 * refs without repeats (empty means the owning group). Throws `InputError` naming the field.
 */
export function parseBudgetInput(
  body: unknown,
  billingCurrency: string,
): BudgetInput {
  const parsed = budgetBody.safeParse(body);
  if (!parsed.success) {
    throw new InputError(
      `invalid budget: ${parsed.error.issues.map(describeIssue).join('; ')}`,
    );
  }
  const data = parsed.data;
  if (data.currency !== billingCurrency) {
    throw new InputError(
      `invalid budget: currency '${data.currency.slice(
        0,
        10,
      )}' must be the billing currency ${billingCurrency}`,
    );
  }
  const list = [...(data.thresholds ?? DEFAULT_THRESHOLDS)]
    .map(({ kind, percent }) => ({ kind, percent }))
    .sort((a, b) => {
      if (a.kind !== b.kind) return a.kind === 'actual' ? -1 : 1;
      return a.percent - b.percent;
    });
  return {
    amount: nanosToMoney(moneyToNanos(data.amount)),
    period: data.period,
    currency: billingCurrency,
    thresholds: list,
    recipients: [...new Set(data.recipients ?? [])],
    ...(data.costBasis ? { costBasis: data.costBasis } : {}),
  };
}

import { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  Budget,
  BUDGET_ANNUAL_ANNOTATION,
  BUDGET_COST_BASIS_ANNOTATION,
  BUDGET_MONTHLY_ANNOTATION,
  BUDGET_QUARTERLY_ANNOTATION,
  BUDGET_RECIPIENTS_ANNOTATION,
  BUDGET_THRESHOLDS_ANNOTATION,
  BudgetPeriod,
  BudgetSource,
} from '@costscope/backstage-plugin-common';
import { parseBudgetInput } from './parseBudgetInput';

const PERIOD_ANNOTATIONS: Array<[string, BudgetPeriod]> = [
  [BUDGET_MONTHLY_ANNOTATION, 'monthly'],
  [BUDGET_QUARTERLY_ANNOTATION, 'quarterly'],
  [BUDGET_ANNUAL_ANNOTATION, 'annual'],
];

/** `"actual:50, forecast:100"` (a bare number means actual) as threshold objects. */
function parseThresholdList(text: string): unknown[] {
  return text
    .split(',')
    .map(part => part.trim())
    .filter(Boolean)
    .map(part => {
      const match = /^(?:(actual|forecast)\s*:\s*)?(.+?)\s*%?$/.exec(part);
      return {
        kind: match?.[1] ?? 'actual',
        percent: Number(match?.[2] ?? NaN),
      };
    });
}

function declared(
  entityRef: string,
  input: ReturnType<typeof parseBudgetInput>,
  source: BudgetSource,
): Budget {
  return {
    entityRef,
    amount: input.amount,
    currency: input.currency,
    period: input.period,
    thresholds: input.thresholds ?? [],
    recipients: input.recipients ?? [],
    source,
    ...(input.costBasis ? { costBasis: input.costBasis } : {}),
  };
}

/**
 * The budget an entity declares in its annotations (`costscope.io/budget-monthly` and the
 * like), or undefined. Throws an error naming the annotation when it cannot be read; two
 * period annotations on one entity are an error too, as neither could silently win.
 */
export function budgetFromAnnotations(
  entityRef: string,
  annotations: Record<string, string>,
  currency: string,
): Budget | undefined {
  const present = PERIOD_ANNOTATIONS.filter(([key]) => key in annotations);
  if (present.length === 0) return undefined;
  if (present.length > 1) {
    throw new Error(
      `${present
        .map(([key]) => key)
        .join(' and ')} are both set; declare one budget period`,
    );
  }
  const [key, period] = present[0];
  const thresholds = annotations[BUDGET_THRESHOLDS_ANNOTATION];
  const recipients = annotations[BUDGET_RECIPIENTS_ANNOTATION];
  const costBasis = annotations[BUDGET_COST_BASIS_ANNOTATION];
  try {
    const input = parseBudgetInput(
      {
        amount: annotations[key].trim(),
        period,
        currency,
        ...(thresholds !== undefined
          ? { thresholds: parseThresholdList(thresholds) }
          : {}),
        ...(recipients !== undefined
          ? {
              recipients: recipients
                .split(',')
                .map(ref => ref.trim())
                .filter(Boolean),
            }
          : {}),
        ...(costBasis !== undefined ? { costBasis: costBasis.trim() } : {}),
      },
      currency,
    );
    return declared(entityRef, input, 'annotation');
  } catch (error) {
    throw new Error(
      `annotation ${key} of ${entityRef}: ${(error as Error).message.replace(
        /^invalid budget: /,
        '',
      )}`,
    );
  }
}

/**
 * Budgets declared in app-config under `costscope.budgets`, keyed by lower-case entity ref.
 * Throws an error naming the bad entry, which stops the backend at start.
 */
export function readConfiguredBudgets(
  root: Config,
  currency: string,
): Map<string, Budget> {
  const budgets = new Map<string, Budget>();
  const entries = root.getOptionalConfigArray('costscope.budgets') ?? [];
  entries.forEach((entry, index) => {
    const where = `costscope.budgets[${index}]`;
    const rawRef = entry.getString('entityRef');
    let ref: string;
    try {
      ref = stringifyEntityRef(parseEntityRef(rawRef)).toLocaleLowerCase(
        'en-US',
      );
    } catch (error) {
      throw new Error(
        `${where}.entityRef '${rawRef}' is not an entity ref: ${
          (error as Error).message
        }`,
      );
    }
    if (budgets.has(ref)) {
      throw new Error(`${where}.entityRef ${ref} has a budget already`);
    }
    try {
      const input = parseBudgetInput(
        {
          amount: String(entry.get('amount')),
          period: entry.getString('period'),
          currency: entry.getOptionalString('currency') ?? currency,
          ...(entry.has('thresholds')
            ? { thresholds: entry.get('thresholds') }
            : {}),
          ...(entry.has('recipients')
            ? { recipients: entry.getStringArray('recipients') }
            : {}),
          ...(entry.has('costBasis')
            ? { costBasis: entry.getString('costBasis') }
            : {}),
        },
        currency,
      );
      budgets.set(ref, declared(ref, input, 'config'));
    } catch (error) {
      throw new Error(
        `${where}: ${(error as Error).message.replace(
          /^invalid budget: /,
          '',
        )}`,
      );
    }
  });
  return budgets;
}

/** The budget in force and the UI budget it overrides, if any. */
export interface ResolvedBudget {
  budget?: Budget;
  overridden?: Budget;
}

/**
 * Declared budgets win over UI budgets, and app-config wins over annotations: the platform
 * team's word is final, the owning team's code comes next, the card is the fallback.
 */
export function resolveBudget(candidates: {
  ui?: Budget;
  annotation?: Budget;
  config?: Budget;
}): ResolvedBudget {
  const { ui, annotation, config } = candidates;
  const budget = config ?? annotation ?? ui;
  return {
    ...(budget ? { budget } : {}),
    ...(ui && budget !== ui ? { overridden: ui } : {}),
  };
}

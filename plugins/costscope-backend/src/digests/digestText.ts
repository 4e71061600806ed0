import { parseEntityRef } from '@backstage/catalog-model';
import {
  CostDigest,
  NOT_VISIBLE_KEY,
} from '@costscope/backstage-plugin-common';
import { formatAlertMoney } from '../alerts/formatAlertMoney';
import { costTabPathOf } from '../alerts/AlertEvaluator';

/** How a delivered digest was sent: on time, or late after a missed schedule. */
export interface DigestDeliveryContext {
  dueAt: Date;
  late: boolean;
  timeZone: string;
}

const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

function dayText(day: string): string {
  return `${Number(day.slice(8, 10))} ${MONTHS[Number(day.slice(5, 7)) - 1]}`;
}

/** "the week of 30 Nov – 6 Dec 2026" or "November 2026", as a sentence names it. */
export function digestPeriodText(digest: CostDigest): string {
  if (digest.period === 'month') {
    return new Date(`${digest.from}T00:00:00Z`).toLocaleString('en-US', {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
  }
  return `the week of ${dayText(digest.from)} – ${dayText(
    digest.to,
  )} ${digest.to.slice(0, 4)}`;
}

/** Where the digest is read in the portal: the entity's Cost tab, Review section. */
export function digestPathOf(digest: CostDigest): string {
  return `${costTabPathOf(digest.entityRef)}?review=${digest.period}&date=${
    digest.from
  }`;
}

function changeText(digest: CostDigest): string {
  const money = (amount: string) => formatAlertMoney(amount, digest.currency);
  const before =
    digest.period === 'week' ? 'the week before' : 'the month before';
  if (digest.changeRatio === null)
    return `${money(digest.change)} against ${before}`;
  const percent = (digest.changeRatio * 100).toFixed(1);
  return `${digest.changeRatio >= 0 ? '+' : ''}${percent} % against ${before}`;
}

/** A share (0..1) as a percentage with one decimal: "88.2 %"; "unknown" for null. */
function percentText(share: number | null): string {
  return share === null ? 'unknown' : `${(share * 100).toFixed(1)} %`;
}

/** A unit cost is often a fraction of a cent: four decimals say how it moves. */
function unitMoneyOf(currency: string): (amount: string) => string {
  return amount =>
    new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      minimumFractionDigits: 4,
      maximumFractionDigits: 4,
    }).format(Number(amount));
}

/**
 * The commitment sentence of a monthly digest: the coverage and savings rate of the entity's
 * own eligible usage, then the organisation's utilization and unused commitment when the
 * digest has them.
 */
export function commitmentText(digest: CostDigest): string | undefined {
  const c = digest.commitments;
  if (!c) return undefined;
  const money = (amount: string) => formatAlertMoney(amount, digest.currency);
  const own =
    `Commitments covered ${percentText(c.coverage)} of eligible usage ` +
    `(${money(c.coveredListCost)} of ${money(
      c.eligibleListCost,
    )} at list price), effective savings rate ${percentText(
      c.effectiveSavingsRate,
    )}`;
  if (!c.organisation) return `${own}.`;
  return `${own}; organisation utilization ${percentText(
    c.organisation.utilization,
  )}, ${money(c.organisation.unusedCommitmentCost)} unused.`;
}

/** The entity's own cost per unit, one line per metric with units in the period. */
function ownUnitCostLines(digest: CostDigest): string[] {
  const unitMoney = unitMoneyOf(digest.currency);
  return (digest.ownUnitCosts ?? [])
    .filter(item => item.unitCost !== null)
    .map(
      item =>
        `${unitMoney(item.unitCost!)} per ${item.unit}${
          item.change === null
            ? ''
            : ` (${item.change.startsWith('-') ? '' : '+'}${unitMoney(
                item.change,
              )})`
        }, over the ${item.reportingEntities} ${
          item.reportingEntities === 1 ? 'entity' : 'entities'
        } reporting ${item.metric} and their cost`,
    );
}

function lateText(context: DigestDeliveryContext): string {
  const due = context.dueAt.toLocaleString('en-GB', {
    timeZone: context.timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  return `Sent late: it was due ${due} (${context.timeZone}) while Costscope was not running.`;
}

/**
 * The digest's title and one-paragraph summary, for notifications: totals and counts only
 * (no entity names), as a team's members may not all see every entity below it.
 */
export function digestSummaryText(
  digest: CostDigest,
  context: DigestDeliveryContext,
): { title: string; description: string } {
  const money = (amount: string) => formatAlertMoney(amount, digest.currency);
  const name = digest.title ?? parseEntityRef(digest.entityRef).name;
  const cadence = digest.period === 'week' ? 'Weekly' : 'Monthly';
  const parts = [
    `${money(digest.total)} (${digest.costBasis}) in ${digestPeriodText(
      digest,
    )}, ${changeText(digest)}.`,
  ];
  if (digest.budgetsAtRisk.length > 0) {
    parts.push(`${digest.budgetsAtRisk.length} budget(s) at risk.`);
  }
  if (digest.alerts.length > 0) {
    parts.push(`${digest.alerts.length} alert(s) fired.`);
  }
  if (digest.savings.openCount > 0) {
    parts.push(
      `${digest.savings.openCount} open savings tip(s) worth ${money(
        digest.savings.monthlySaving,
      )} a month.`,
    );
  }
  const ownUnitCosts = ownUnitCostLines(digest);
  if (ownUnitCosts.length > 0) {
    parts.push(`Cost per unit: ${ownUnitCosts.join('; ')}.`);
  }
  const commitments = commitmentText(digest);
  if (commitments) parts.push(commitments);
  if (digest.dataThrough) {
    parts.push(`Cost data reaches ${dayText(digest.dataThrough)} only.`);
  }
  if (context.late) parts.push(lateText(context));
  return {
    title: `${cadence} cost digest: ${name}`,
    description: parts.join(' '),
  };
}

/**
 * The Slack-compatible body (`text` plus Block Kit `blocks`) of a digest for the configured
 * webhook, an administrator's channel: it names the top entities and services.
 */
export function digestSlackBody(
  digest: CostDigest,
  context: DigestDeliveryContext,
  portalUrl: string,
) {
  const money = (amount: string) => formatAlertMoney(amount, digest.currency);
  const link = new URL(digestPathOf(digest), portalUrl).toString();
  const unitMoney = unitMoneyOf(digest.currency);
  const name = digest.title ?? parseEntityRef(digest.entityRef).name;
  const { title, description } = digestSummaryText(digest, context);
  const signed = (amount: string) =>
    amount.startsWith('-') ? money(amount) : `+${money(amount)}`;
  const lines = (items: CostDigest['topEntities']) =>
    items
      .map(
        item =>
          `• ${
            item.key === NOT_VISIBLE_KEY ? item.key : item.label ?? item.key
          }: ${money(item.cost)} (${signed(item.change)})`,
      )
      .join('\n');
  const section = (heading: string, body: string) =>
    body
      ? [
          {
            type: 'section',
            text: { type: 'mrkdwn', text: `*${heading}*\n${body}` },
          },
        ]
      : [];
  return {
    text: `${title}: ${description} ${link}`,
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `*${title}*\n${description}` },
      },
      ...section('Top entities', lines(digest.topEntities)),
      ...section('Top services', lines(digest.topServices)),
      ...section(
        'Budgets at risk',
        digest.budgetsAtRisk
          .map(
            budget =>
              `• ${budget.title ?? budget.entityRef}: ${money(
                budget.spent,
              )} of ${money(budget.amount)}, forecast ${money(
                budget.forecast,
              )}`,
          )
          .join('\n'),
      ),
      ...section(
        'Cost per unit',
        [
          ...ownUnitCostLines(digest).map(line => `• ${name}: ${line}`),
          ...digest.unitCosts
            .filter(item => item.unitCost !== null)
            .map(
              item =>
                `• ${parseEntityRef(item.entityRef).name}: ${unitMoney(
                  item.unitCost!,
                )} per ${item.unit}${
                  item.change === null
                    ? ''
                    : ` (${item.change.startsWith('-') ? '' : '+'}${unitMoney(
                        item.change,
                      )})`
                }`,
            ),
        ].join('\n'),
      ),
      ...section('Commitments', commitmentText(digest) ?? ''),
      ...section(
        'Top savings tips',
        digest.savings.top
          .map(tip => `• ${tip.action}: ${money(tip.monthlySaving)} a month`)
          .join('\n'),
      ),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `${digest.entityRef} · <${link}|Open the review>`,
          },
        ],
      },
    ],
  };
}

import type { CostDigest } from '@costscope/backstage-plugin-common';

const day = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
});
const month = new Intl.DateTimeFormat('en-US', {
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const utc = (isoDay: string) => new Date(`${isoDay}T00:00:00Z`);

/** "Week of 30 Nov – 6 Dec 2026" or "November 2026": the period a digest covers (UTC days). */
export function digestPeriodTitle(digest: CostDigest): string {
  if (digest.period === 'month') return month.format(utc(digest.from));
  return `Week of ${day.format(utc(digest.from))} – ${day.format(
    utc(digest.to),
  )} ${digest.to.slice(0, 4)}`;
}

/** "the week before" or "the month before". */
export function previousPeriodText(digest: CostDigest): string {
  return digest.period === 'week' ? 'the week before' : 'the month before';
}

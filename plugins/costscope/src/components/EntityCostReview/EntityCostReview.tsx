import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Grid, Typography } from '@material-ui/core';
import type {
  CostBasis,
  DigestPeriod,
} from '@costscope/backstage-plugin-common';
import { useEntityDigest } from '../../hooks';
import { AsyncContent } from '../AsyncContent';
import { DigestCard } from './DigestCard';

/** Props of {@link EntityCostReview}. */
export interface EntityCostReviewProps {
  entityRef: string;
  costBasis?: CostBasis;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function Digest(props: {
  entityRef: string;
  period: DigestPeriod;
  date?: string;
  costBasis?: CostBasis;
}) {
  const digest = useEntityDigest(props.entityRef, props);
  return (
    <AsyncContent
      state={digest}
      errorTitle={`Could not load the ${props.period}ly review`}
    >
      {value => <DigestCard digest={value} />}
    </AsyncContent>
  );
}

/**
 * The Review section of a team's (or system's) Cost tab: last week's and last month's
 * digest, as the scheduled digests tell them. A digest's link (`?review=week&date=...`)
 * opens the period it was sent for and scrolls here.
 */
export function EntityCostReview(props: EntityCostReviewProps) {
  const { entityRef, costBasis } = props;
  const [searchParams] = useSearchParams();
  const linked = searchParams.get('review');
  const linkedDate = searchParams.get('date') ?? undefined;
  const dateOf = (period: DigestPeriod) =>
    linked === period && linkedDate && DAY.test(linkedDate)
      ? linkedDate
      : undefined;
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    if (linked) section.current?.scrollIntoView?.();
  }, [linked]);

  return (
    <section ref={section} id="review" aria-labelledby="costscope-review">
      <Typography variant="h5" component="h2" id="costscope-review" paragraph>
        Review
      </Typography>
      <Grid container spacing={3}>
        {(['week', 'month'] as const).map(period => (
          <Grid item xs={12} lg={6} key={period}>
            <Digest
              entityRef={entityRef}
              period={period}
              date={dateOf(period)}
              costBasis={costBasis}
            />
          </Grid>
        ))}
      </Grid>
    </section>
  );
}

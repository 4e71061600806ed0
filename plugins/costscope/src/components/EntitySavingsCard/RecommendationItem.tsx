import { Box, Button, Divider, Typography } from '@material-ui/core';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { Recommendation } from '@costscope/backstage-plugin-common';
import { formatMoney } from '../../utils/format';
import {
  PRICE_SOURCE_LABELS,
  countedAfterText,
  evidenceFacts,
  kindLabel,
  resourceLabel,
} from '../../utils/recommendations';
import { RecommendationConfidenceChip } from '../RecommendationConfidenceChip';
import { SavingsPlanPurchaseDetails } from '../SavingsPlanPurchase';
import { Fact } from '../Fact';

function EntityName(props: { entityRef: string }) {
  try {
    return <EntityRefLink entityRef={parseEntityRef(props.entityRef)} />;
  } catch {
    return <>{props.entityRef}</>;
  }
}

/** The resource a recommendation or skip is about: its name over its id, and where it is. */
export function ResourceHeading(props: {
  item: Pick<
    Recommendation,
    'resourceId' | 'resourceName' | 'provider' | 'accountId' | 'region'
  >;
  id?: string;
}) {
  const { item, id } = props;
  const named =
    Boolean(item.resourceName) && item.resourceName !== item.resourceId;
  return (
    <Box minWidth={0}>
      <Typography
        variant="subtitle1"
        component="h3"
        id={id}
        style={{ fontWeight: 600, overflowWrap: 'anywhere' }}
      >
        {resourceLabel(item)}
      </Typography>
      <Typography variant="caption" color="textSecondary" component="div">
        {named && (
          <>
            <code>{item.resourceId}</code>
            {' · '}
          </>
        )}
        {item.provider} {item.accountId} {item.region}
      </Typography>
    </Box>
  );
}

/** Props of {@link RecommendationItem}. */
export interface RecommendationItemProps {
  recommendation: Recommendation;
  /** Shows the entity the recommendation is allocated to (rollups), unless it is this one. */
  entityRef?: string;
  /** A rule above the item, between items of a list. */
  divider?: boolean;
  onDismiss: (recommendation: Recommendation) => void;
  /** The tip on the same resource this one's saving is priced after, if any. */
  countedAfter?: Recommendation;
}

/** One open recommendation: what to do, why, what it saves and how sure it is. */
export function RecommendationItem(props: RecommendationItemProps) {
  const { recommendation, entityRef, divider, onDismiss, countedAfter } = props;
  const headingId = `costscope-tip-${recommendation.id.replace(
    /[^A-Za-z0-9_-]/g,
    '_',
  )}`;
  // A purchase's facts are its plan's (the lookback is among them).
  const facts = recommendation.savingsPlan
    ? []
    : evidenceFacts(recommendation.evidence);
  // On an entity's page, a purchase saves the entity's share.
  const saving =
    recommendation.share?.monthlySaving ?? recommendation.monthlySaving;
  return (
    <Box
      component="li"
      aria-labelledby={headingId}
      data-testid="costscope-savings-tip"
      data-tip-id={recommendation.id}
    >
      {divider && <Divider />}
      <Box py={2}>
        <Box
          display="flex"
          justifyContent="space-between"
          alignItems="flex-start"
          style={{ gap: 16 }}
        >
          <ResourceHeading item={recommendation} id={headingId} />
          <Box textAlign="right" flexShrink={0}>
            <Typography
              variant="h6"
              component="div"
              data-testid="costscope-tip-saving"
              data-amount={saving}
            >
              {formatMoney(saving, recommendation.currency)}
            </Typography>
            <Typography variant="caption" color="textSecondary">
              {recommendation.share
                ? 'its share, saved per month'
                : 'saved per month'}
            </Typography>
          </Box>
        </Box>

        <Typography variant="body1" style={{ marginTop: 8 }}>
          {recommendation.action}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {recommendation.reason}
        </Typography>
        {countedAfter && (
          <Typography
            variant="body2"
            color="textSecondary"
            data-testid="costscope-tip-counted-after"
          >
            {countedAfterText(countedAfter)}
          </Typography>
        )}

        {facts.length > 0 && (
          <Box
            component="ul"
            display="flex"
            flexWrap="wrap"
            m={0}
            mt={1}
            p={0}
            style={{ listStyle: 'none', columnGap: 16, rowGap: 4 }}
            aria-label="Evidence"
          >
            {facts.map(fact => (
              <Typography key={fact.label} variant="body2" component="li">
                <Typography
                  variant="body2"
                  component="span"
                  color="textSecondary"
                >
                  {fact.label}:
                </Typography>{' '}
                {fact.value}
              </Typography>
            ))}
          </Box>
        )}

        <Box display="flex" flexWrap="wrap" mt={1} style={{ gap: 16 }}>
          <Fact label="Kind" value={kindLabel(recommendation.kind)} />
          {recommendation.currentType && (
            <Fact label="Current type" value={recommendation.currentType} />
          )}
          {recommendation.suggestedType && (
            <Fact label="Suggested type" value={recommendation.suggestedType} />
          )}
          {recommendation.currentMonthlyCost && (
            <Fact
              label={
                recommendation.savingsPlan ? 'Covers on demand' : 'Costs today'
              }
              value={`${formatMoney(
                recommendation.currentMonthlyCost,
                recommendation.currency,
              )} per month`}
            />
          )}
          {entityRef &&
            recommendation.entityRef &&
            recommendation.entityRef !== entityRef && (
              <Fact
                label="Entity"
                value={<EntityName entityRef={recommendation.entityRef} />}
              />
            )}
        </Box>

        <SavingsPlanPurchaseDetails recommendation={recommendation} />

        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          mt={1}
          style={{ gap: 12 }}
        >
          <RecommendationConfidenceChip
            confidence={recommendation.confidence}
          />
          <Typography
            variant="caption"
            color="textSecondary"
            data-testid="costscope-tip-price-source"
          >
            {PRICE_SOURCE_LABELS[recommendation.priceSource] ??
              recommendation.priceSource}
          </Typography>
          <Box flexGrow={1} />
          <Button
            size="small"
            variant="outlined"
            aria-label={`Dismiss the tip for ${resourceLabel(recommendation)}`}
            onClick={() => onDismiss(recommendation)}
          >
            Dismiss
          </Button>
        </Box>
      </Box>
    </Box>
  );
}

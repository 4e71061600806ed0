import { useState } from 'react';
import { Box, Button, Typography } from '@material-ui/core';
import { InfoCard, InfoCardVariants } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import type {
  Recommendation,
  RecommendationList,
} from '@costscope/backstage-plugin-common';
import { costscopeApiRef } from '../../api';
import { useEntityRecommendations } from '../../hooks';
import { formatDateTime, formatMoney } from '../../utils/format';
import { countedAfterOf } from '../../utils/recommendations';
import { CostFigure } from '../CostFigure';
import { AsyncContent } from '../AsyncContent';
import { errorMessage } from '../../utils/errorMessage';
import { DismissRecommendationDialog } from './DismissRecommendationDialog';
import { DismissedRecommendations } from './DismissedRecommendations';
import { RecommendationItem } from './RecommendationItem';
import { SkippedResources } from './SkippedResources';
import { PricesNotice } from '../SavingsPlanPurchase';

/** Open recommendations a card shows before "Show all". */
const DEFAULT_MAX_ITEMS = 5;

/** What to set up when there is nothing to show. */
function NoRecommendations() {
  return (
    <Box data-testid="costscope-savings-empty">
      <Typography variant="body2" paragraph>
        No savings tips: Costscope needs an inventory source (EC2 or the demo
        inventory) to find this entity's resources, and CPU utilisation
        (CloudWatch) to judge its instances.
      </Typography>
      <Typography variant="body2">
        Turn on the AWS module's inventory with <code>costscope.aws</code> (
        <code>inventory</code>) in app-config, and map the resources to this
        entity with the <code>costscope.io/cost-tags</code> annotation or the
        tag conventions. The rules' thresholds are under{' '}
        <code>costscope.recommendations</code>.
      </Typography>
    </Box>
  );
}

function OpenRecommendations(props: {
  list: RecommendationList;
  entityRef: string;
  maxItems: number;
  onDismiss: (recommendation: Recommendation) => void;
}) {
  const { list, entityRef, maxItems, onDismiss } = props;
  const [showAll, setShowAll] = useState(false);
  const { items } = list;
  if (items.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No open savings tips.
      </Typography>
    );
  }
  const shown = showAll ? items : items.slice(0, maxItems);
  return (
    <>
      <Box
        component="ul"
        m={0}
        p={0}
        style={{ listStyle: 'none' }}
        aria-label="Open savings tips"
      >
        {shown.map((recommendation, index) => (
          <RecommendationItem
            key={recommendation.id}
            recommendation={recommendation}
            entityRef={entityRef}
            divider={index > 0}
            onDismiss={onDismiss}
            countedAfter={countedAfterOf(recommendation, items)}
          />
        ))}
      </Box>
      {items.length > maxItems && (
        <Button
          size="small"
          color="primary"
          aria-expanded={showAll}
          onClick={() => setShowAll(!showAll)}
        >
          {showAll ? 'Show fewer' : `Show all ${items.length} tips`}
        </Button>
      )}
    </>
  );
}

function SavingsBody(props: {
  list: RecommendationList;
  entityRef: string;
  maxItems: number;
  onDismiss: (recommendation: Recommendation) => void;
  restoring?: string;
  restoreError?: string;
  onRestore: (recommendation: Recommendation) => void;
}) {
  const { list, restoring, restoreError, onRestore, ...open } = props;
  const skipped = list.skipped ?? [];
  if (
    list.items.length === 0 &&
    list.dismissed.length === 0 &&
    !list.notVisible
  ) {
    return (
      <>
        <PricesNotice prices={list.prices} />
        {skipped.length > 0 ? (
          <Typography variant="body2" color="textSecondary">
            No savings tips for the resources Costscope could judge.
          </Typography>
        ) : (
          <NoRecommendations />
        )}
        <SkippedResources skipped={skipped} />
      </>
    );
  }
  const count = list.items.length;
  return (
    <>
      <PricesNotice prices={list.prices} />
      <CostFigure
        label="Potential saving per month"
        value={formatMoney(list.totalMonthlySaving, list.currency)}
        testId="costscope-savings-total"
        amount={list.totalMonthlySaving}
        detail={`${count} open ${count === 1 ? 'tip' : 'tips'}${
          list.notVisible
            ? ` · ${list.notVisible.count} more (${formatMoney(
                list.notVisible.monthlySaving,
                list.currency,
              )}) on entities not visible to you`
            : ''
        }`}
      />
      <Box mt={1}>
        <OpenRecommendations list={list} {...open} />
      </Box>
      <DismissedRecommendations
        recommendations={list.dismissed}
        restoring={restoring}
        restoreError={restoreError}
        onRestore={onRestore}
      />
      <SkippedResources skipped={skipped} />
    </>
  );
}

/**
 * Props of {@link EntitySavingsCard}.
 * @public
 */
export interface EntitySavingsCardProps {
  /** Open recommendations shown before "Show all". Default 5. */
  maxItems?: number;
  /** The InfoCard variant, e.g. `gridItem` in an entity page grid. */
  variant?: InfoCardVariants;
}

/**
 * A card with an entity's recommendations (rightsizing and clean-up): the potential monthly
 * saving, each open recommendation with its evidence, dismissing and restoring them. On a group
 * page they are the team's (the backend rolls them up over what the group owns).
 */
export function EntitySavingsCard(props: EntitySavingsCardProps) {
  const { maxItems = DEFAULT_MAX_ITEMS, variant } = props;
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(costscopeApiRef);
  const recommendations = useEntityRecommendations(entityRef);
  const { value, retry } = recommendations;
  const [dismissing, setDismissing] = useState<Recommendation | undefined>();
  const [restoring, setRestoring] = useState<string | undefined>();
  const [restoreError, setRestoreError] = useState<string | undefined>();

  const dismissed = () => {
    setDismissing(undefined);
    retry();
  };

  const restore = async (recommendation: Recommendation) => {
    setRestoring(recommendation.id);
    setRestoreError(undefined);
    try {
      await api.setRecommendationState(recommendation.id, { state: 'open' });
      retry();
    } catch (e) {
      setRestoreError(errorMessage(e));
    } finally {
      setRestoring(undefined);
    }
  };

  const isGroup = entity.kind.toLocaleLowerCase('en-US') === 'group';
  return (
    <InfoCard
      title={isGroup ? 'Savings for this team' : 'Savings'}
      subheader={
        value?.computedAt
          ? `Computed ${formatDateTime(value.computedAt)}`
          : undefined
      }
      variant={variant}
    >
      {/* A reload keeps the previous answer on screen instead of flashing a spinner. */}
      <AsyncContent
        state={recommendations}
        errorTitle="Could not load savings tips"
        keepValueWhileLoading
      >
        {list => (
          <SavingsBody
            list={list}
            entityRef={entityRef}
            maxItems={Math.max(1, maxItems)}
            onDismiss={setDismissing}
            restoring={restoring}
            restoreError={restoreError}
            onRestore={restore}
          />
        )}
      </AsyncContent>
      {dismissing && (
        <DismissRecommendationDialog
          recommendation={dismissing}
          onClose={() => setDismissing(undefined)}
          onSaved={dismissed}
        />
      )}
    </InfoCard>
  );
}

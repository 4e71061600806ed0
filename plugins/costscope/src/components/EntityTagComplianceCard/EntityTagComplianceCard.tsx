import { Box, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { InfoCard } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import type {
  CostQuery,
  EntityCompliance,
} from '@costscope/backstage-plugin-common';
import { useEntityCompliance, useRangePreset } from '../../hooks';
import { csvFileName } from '../../utils/csv';
import {
  ComplianceByKeyTable,
  ComplianceFigures,
  NoTagPolicy,
  ScopeNotes,
  TagPolicyDetails,
  hasNoPolicy,
} from '../ComplianceSummary';
import { AsyncContent } from '../AsyncContent';
import { NonCompliantTable } from './NonCompliantTable';

function CardBody(props: { compliance: EntityCompliance; name: string }) {
  const { compliance, name } = props;
  const { currency, resources } = compliance;
  if (hasNoPolicy(compliance.policy)) return <NoTagPolicy />;

  const notes = (
    <ScopeNotes
      outOfScope={compliance.outOfScope}
      rejectedTags={compliance.rejectedTags}
      currency={currency}
      notVisible={compliance.notVisible}
    />
  );
  if (resources.total === 0) {
    return (
      <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
        <Typography variant="body2">
          No resource of this entity with cost in this range falls under the tag
          policy.
        </Typography>
        <TagPolicyDetails policy={compliance.policy} />
        {notes}
      </Box>
    );
  }

  const nonCompliantCount = resources.total - resources.compliant;
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      <Box display="flex" flexWrap="wrap" style={{ gap: 32 }}>
        <ComplianceFigures
          totals={compliance}
          currency={currency}
          costBasis={compliance.costBasis}
        />
      </Box>
      <TagPolicyDetails policy={compliance.policy} />
      {notes}
      {nonCompliantCount === 0 ? (
        <Alert severity="success" data-testid="costscope-all-compliant">
          All {resources.total.toLocaleString()} resource
          {resources.total === 1 ? ' complies' : 's comply'} with the tag
          policy.
        </Alert>
      ) : (
        <>
          <ComplianceByKeyTable items={compliance.byKey} currency={currency} />
          <NonCompliantTable
            resources={compliance.nonCompliant}
            currency={currency}
            totalCount={nonCompliantCount}
            fileName={csvFileName(
              'costscope-non-compliant',
              name,
              compliance.from,
              compliance.to,
            )}
          />
        </>
      )}
    </Box>
  );
}

/**
 * Props of {@link EntityTagComplianceCard}.
 * @public
 */
export interface EntityTagComplianceCardProps {
  /** The days to judge and the cost basis; the last 30 days, configured basis, when not given. */
  range?: CostQuery;
}

/**
 * A card with the tag compliance of the current entity (component, system or group): the
 * share of resources and of cost that meets the tag policy, and what is wrong with the rest.
 */
export function EntityTagComplianceCard(props: EntityTagComplianceCardProps) {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { range: last30 } = useRangePreset('last30');
  const range = props.range ?? last30;
  const compliance = useEntityCompliance(entityRef, range);

  return (
    <InfoCard
      title="Tag compliance"
      subheader={
        props.range ? `${props.range.from} – ${props.range.to}` : 'Last 30 days'
      }
    >
      <AsyncContent state={compliance} keepValueWhileLoading>
        {value => <CardBody compliance={value} name={entity.metadata.name} />}
      </AsyncContent>
    </InfoCard>
  );
}

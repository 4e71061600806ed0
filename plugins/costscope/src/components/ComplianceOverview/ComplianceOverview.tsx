import { ReactNode } from 'react';
import { Box, Grid, Paper, Typography } from '@material-ui/core';
import type {
  CostQuery,
  OrganisationCompliance,
} from '@costscope/backstage-plugin-common';
import { useOrganisationCompliance } from '../../hooks';
import { formatMoney } from '../../utils/format';
import { CostFigure } from '../CostFigure';
import { AsyncContent } from '../AsyncContent';
import {
  ComplianceByKeyTable,
  ComplianceFigures,
  NoTagPolicy,
  ScopeNotes,
  TagPolicyDetails,
  hasNoPolicy,
} from '../ComplianceSummary';
import { ComplianceBreakdownTable } from './ComplianceBreakdownTable';
import { ComplianceTrend } from './ComplianceTrend';
import { UnallocatedTable } from './UnallocatedTable';

function Section(props: { title: string; children: ReactNode }) {
  return (
    <Paper variant="outlined">
      <Box p={2}>
        <Typography variant="h6" component="h3" gutterBottom>
          {props.title}
        </Typography>
        {props.children}
      </Box>
    </Paper>
  );
}

function Unallocated(props: { compliance: OrganisationCompliance }) {
  const { compliance } = props;
  const { unallocated, currency } = compliance;
  return (
    <>
      <Grid item xs={12}>
        <Paper variant="outlined">
          <Box p={2}>
            <CostFigure
              label="Unallocated spend"
              value={formatMoney(unallocated.cost, currency)}
              testId="costscope-compliance-unallocated"
              amount={unallocated.cost}
              detail="Cost that no entity was allocated"
            />
          </Box>
        </Paper>
      </Grid>
      <Grid item xs={12}>
        <UnallocatedTable resources={unallocated.top} currency={currency} />
      </Grid>
    </>
  );
}

function PolicySections(props: { compliance: OrganisationCompliance }) {
  const { compliance } = props;
  const { currency } = compliance;
  return (
    <>
      <Grid item xs={12}>
        <Paper variant="outlined">
          <Box p={2} display="flex" flexDirection="column" style={{ gap: 16 }}>
            <Box display="flex" flexWrap="wrap" style={{ gap: 48 }}>
              <ComplianceFigures
                totals={compliance}
                currency={currency}
                costBasis={compliance.costBasis}
              />
            </Box>
            <TagPolicyDetails policy={compliance.policy} />
            <ScopeNotes
              outOfScope={compliance.outOfScope}
              rejectedTags={compliance.rejectedTags}
              currency={currency}
              notVisible={compliance.notVisible}
            />
          </Box>
        </Paper>
      </Grid>
      <Grid item xs={12} md={6}>
        <ComplianceBreakdownTable
          title="Compliance by account"
          nameTitle="Account"
          items={compliance.byAccount}
          currency={currency}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <ComplianceBreakdownTable
          title="Compliance by service"
          nameTitle="Service"
          items={compliance.byService}
          currency={currency}
        />
      </Grid>
      <Grid item xs={12}>
        <Section title="Problems by tag key">
          {compliance.byKey.length > 0 ? (
            <ComplianceByKeyTable
              items={compliance.byKey}
              currency={currency}
            />
          ) : (
            <Typography variant="body2" color="textSecondary">
              No required key.
            </Typography>
          )}
        </Section>
      </Grid>
      {/* Full width: seven columns, two of them bars, do not fit half the page. */}
      <Grid item xs={12}>
        <Section title="Compliance by month">
          <ComplianceTrend points={compliance.trend} currency={currency} />
        </Section>
      </Grid>
    </>
  );
}

/** Props of {@link ComplianceOverview}. */
export interface ComplianceOverviewProps {
  /** The days to judge and the basis their costs are counted on. */
  range: CostQuery;
}

/**
 * Organisation-wide tag compliance for the Costscope page: totals by count and by cost, by
 * account, service and key, month by month, and the unallocated spend with likely owners.
 */
export function ComplianceOverview(props: ComplianceOverviewProps) {
  const compliance = useOrganisationCompliance(props.range);
  return (
    <AsyncContent
      state={compliance}
      errorTitle="Could not load tag compliance"
      keepValueWhileLoading
    >
      {value => (
        <Grid container spacing={3}>
          {hasNoPolicy(value.policy) ? (
            <Grid item xs={12}>
              <Paper variant="outlined">
                <Box p={2}>
                  <NoTagPolicy />
                </Box>
              </Paper>
            </Grid>
          ) : (
            <PolicySections compliance={value} />
          )}
          <Unallocated compliance={value} />
        </Grid>
      )}
    </AsyncContent>
  );
}

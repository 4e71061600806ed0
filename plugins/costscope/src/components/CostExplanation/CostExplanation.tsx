import { useMemo } from 'react';
import { Box, Chip, Typography } from '@material-ui/core';
import { InfoCard, Table, TableColumn } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  AllocationOverlap,
  MappingRuleUsage,
} from '@costscope/backstage-plugin-common';
import { compareMoney, formatMoney } from '../../utils/format';
import { denseTableOptions } from '../../utils/tableOptions';

const ORIGIN_LABELS: Record<MappingRuleUsage['origin'], string> = {
  annotation: 'Annotation',
  convention: 'Convention',
  account: 'Account',
  kubernetes: 'Kubernetes split',
  commitment: 'Unused commitment owner',
};

function EntityName(props: { entityRef: string }) {
  try {
    return <EntityRefLink entityRef={parseEntityRef(props.entityRef)} />;
  } catch {
    return <>{props.entityRef}</>;
  }
}

/** Props of {@link CostExplanation}. */
export interface CostExplanationProps {
  mappingRules: MappingRuleUsage[];
  overlaps: AllocationOverlap[];
  currency: string;
}

/**
 * "Why is this cost yours?": the mapping rules that brought cost to the entity (or to the
 * entities below it), and the cost lines that several rules matched, with who got them.
 */
export function CostExplanation(props: CostExplanationProps) {
  const { currency } = props;
  const rules = useMemo(
    () => props.mappingRules.map(rule => ({ ...rule })),
    [props.mappingRules],
  );
  const overlaps = useMemo(
    () =>
      props.overlaps.map(overlap => ({
        ...overlap,
        othersText: overlap.others.join(', '),
      })),
    [props.overlaps],
  );

  const ruleColumns: TableColumn<MappingRuleUsage>[] = [
    {
      title: 'Origin',
      field: 'origin',
      render: row => (
        <Chip size="small" label={ORIGIN_LABELS[row.origin] ?? row.origin} />
      ),
    },
    {
      title: 'Rule',
      field: 'rule',
      highlight: true,
      render: row => <code>{row.rule}</code>,
    },
    {
      title: 'Entity',
      field: 'entityRef',
      render: row => <EntityName entityRef={row.entityRef} />,
    },
    {
      title: 'Cost',
      field: 'cost',
      type: 'numeric',
      defaultSort: 'desc',
      customSort: (a, b) => compareMoney(a.cost, b.cost),
      render: row => formatMoney(row.cost, currency),
    },
  ];

  const overlapColumns: TableColumn<(typeof overlaps)[number]>[] = [
    { title: 'Tags', field: 'tags', render: row => <code>{row.tags}</code> },
    {
      title: 'Allocated to',
      field: 'winner',
      render: row => <EntityName entityRef={row.winner} />,
    },
    {
      title: 'Also matched',
      field: 'othersText',
      render: row => (
        <>
          {row.others.map((other, index) => (
            <span key={other}>
              {index > 0 && ', '}
              <EntityName entityRef={other} />
            </span>
          ))}
        </>
      ),
    },
    {
      title: 'Cost',
      field: 'cost',
      type: 'numeric',
      defaultSort: 'desc',
      customSort: (a, b) => compareMoney(a.cost, b.cost),
      render: row => formatMoney(row.cost, currency),
    },
  ];

  return (
    <InfoCard title="Why is this cost yours?">
      <Typography variant="body2" paragraph>
        Every cost line goes to exactly one entity, or stays unallocated. These
        mapping rules brought cost here: annotations on the entities (for
        example <code>costscope.io/cost-tags</code>), whole cloud accounts, or
        the zero-config conventions (such as the <code>service</code> tag equal
        to a component's name).
      </Typography>
      {rules.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No mapping rule brought cost to this entity in this range.
        </Typography>
      ) : (
        <Table<MappingRuleUsage>
          title="Mapping rules"
          columns={ruleColumns}
          data={rules}
          options={denseTableOptions(rules.length)}
        />
      )}
      <Box mt={3}>
        {overlaps.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            No overlapping rules: no cost line here matched another entity's
            rules.
          </Typography>
        ) : (
          <>
            <Typography variant="body2" paragraph>
              These cost lines matched the rules of several entities. The rule
              priority gave each to one of them, so nothing is counted twice.
            </Typography>
            <Table<(typeof overlaps)[number]>
              title="Overlaps"
              columns={overlapColumns}
              data={overlaps}
              options={denseTableOptions(overlaps.length)}
            />
          </>
        )}
      </Box>
    </InfoCard>
  );
}

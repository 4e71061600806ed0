import { useState } from 'react';
import {
  Box,
  Button,
  Collapse,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import ExpandMore from '@material-ui/icons/ExpandMore';
import ExpandLess from '@material-ui/icons/ExpandLess';
import type {
  ComplianceByKey,
  ComplianceTotals,
  CostBasis,
  TagPolicyDescription,
} from '@costscope/backstage-plugin-common';
import { withBasis } from '../../utils/costBasis';
import {
  describeRule,
  displayKey,
  resourcesText,
} from '../../utils/compliance';
import { formatMoney, formatShare } from '../../utils/format';
import { CostFigure } from '../CostFigure';

/** True when the backend has no tag policy to judge by (it answers an empty rule list). */
export function hasNoPolicy(policy: TagPolicyDescription): boolean {
  return policy.rules.length === 0;
}

/** What to do when no tag policy is configured. */
export function NoTagPolicy() {
  return (
    <Typography variant="body2" data-testid="costscope-no-tag-policy">
      No tag policy configured: add <code>costscope.tagPolicy</code> to
      app-config.
    </Typography>
  );
}

/** Props of {@link ComplianceFigures}. */
export interface ComplianceFiguresProps {
  totals: ComplianceTotals;
  currency: string;
  /** The basis the costs are counted on, named in the label. */
  costBasis?: CostBasis;
}

/** The two headline shares: resources compliant by count, and by cost. */
export function ComplianceFigures(props: ComplianceFiguresProps) {
  const { totals, currency, costBasis } = props;
  return (
    <>
      <CostFigure
        label="Resources compliant"
        value={formatShare(totals.compliantShareByCount)}
        testId="costscope-compliance-by-count"
        detail={
          <span data-testid="costscope-compliance-count">
            {resourcesText(totals)}
          </span>
        }
      />
      <CostFigure
        label={
          costBasis ? withBasis('Cost compliant', costBasis) : 'Cost compliant'
        }
        value={formatShare(totals.compliantShareByCost)}
        testId="costscope-compliance-by-cost"
        detail={
          <span data-testid="costscope-compliance-cost">
            {formatMoney(totals.cost.compliant, currency)} of{' '}
            {formatMoney(totals.cost.total, currency)}
          </span>
        }
      />
    </>
  );
}

/** Props of {@link TagPolicyDetails}. */
export interface TagPolicyDetailsProps {
  policy: TagPolicyDescription;
}

/** The policy in force, folded away behind a button: required keys and allowed values. */
export function TagPolicyDetails(props: TagPolicyDetailsProps) {
  const { policy } = props;
  const [open, setOpen] = useState(false);
  const count = policy.rules.length;
  const id = 'costscope-tag-policy-details';
  return (
    <Box>
      <Button
        size="small"
        onClick={() => setOpen(o => !o)}
        aria-expanded={open}
        aria-controls={id}
        endIcon={open ? <ExpandLess /> : <ExpandMore />}
      >
        Tag policy: {count} required tag{count === 1 ? '' : 's'}
      </Button>
      <Collapse in={open}>
        <Box id={id} pl={1} pt={1}>
          <Typography variant="body2" component="div">
            <Box component="ul" m={0} pl={2} aria-label="Required tags">
              {policy.rules.map(rule => (
                <li key={rule.key}>{describeRule(rule)}</li>
              ))}
            </Box>
          </Typography>
          <Typography variant="caption" color="textSecondary" component="p">
            Keys are compared{' '}
            {policy.keyCaseInsensitive
              ? 'ignoring letter case'
              : 'with letter case'}
            . Applies to{' '}
            {policy.scope ? policy.scope : 'every resource with cost'}.
          </Typography>
        </Box>
      </Collapse>
    </Box>
  );
}

/** Props of {@link ComplianceByKeyTable}. */
export interface ComplianceByKeyTableProps {
  items: ComplianceByKey[];
  currency: string;
}

/** How often each required key is missing or invalid, and what those resources cost. */
export function ComplianceByKeyTable(props: ComplianceByKeyTableProps) {
  const { items, currency } = props;
  if (items.length === 0) return null;
  return (
    <Table size="small" aria-label="Problems by tag key">
      <TableHead>
        <TableRow>
          <TableCell>Key</TableCell>
          <TableCell align="right">Missing</TableCell>
          <TableCell align="right">Cost of missing</TableCell>
          <TableCell align="right">Invalid</TableCell>
          <TableCell align="right">Cost of invalid</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {items.map(item => (
          <TableRow key={item.key}>
            <TableCell component="th" scope="row" role="rowheader">
              {displayKey(item.key)}
            </TableCell>
            <TableCell align="right">
              {item.missingCount.toLocaleString()}
            </TableCell>
            <TableCell align="right">
              {formatMoney(item.missingCost, currency)}
            </TableCell>
            <TableCell align="right">
              {item.invalidCount.toLocaleString()}
            </TableCell>
            <TableCell align="right">
              {formatMoney(item.invalidCost, currency)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Props of {@link ScopeNotes}. */
export interface ScopeNotesProps {
  outOfScope: { resources: number; cost: string };
  rejectedTags: number;
  currency: string;
  /** Resources of entities hidden from the viewer, not judged. */
  notVisible?: { resources: number; cost: string };
}

/** What the figures leave out: resources outside the policy, and unreadable billing tags. */
export function ScopeNotes(props: ScopeNotesProps) {
  const { outOfScope, rejectedTags, currency, notVisible } = props;
  const hidden = notVisible?.resources ?? 0;
  if (outOfScope.resources === 0 && rejectedTags === 0 && hidden === 0) {
    return null;
  }
  return (
    <Box data-testid="costscope-compliance-scope-notes">
      {outOfScope.resources > 0 && (
        <Typography variant="body2" color="textSecondary">
          {outOfScope.resources.toLocaleString()} resource
          {outOfScope.resources === 1 ? ' is' : 's are'} outside the policy's
          scope ({formatMoney(outOfScope.cost, currency)}), not counted above.
        </Typography>
      )}
      {hidden > 0 && (
        <Typography variant="body2" color="textSecondary">
          {hidden.toLocaleString()} resource{hidden === 1 ? '' : 's'} of
          entities not visible to you ({formatMoney(notVisible!.cost, currency)}
          ) not judged here.
        </Typography>
      )}
      {rejectedTags > 0 && (
        <Typography variant="body2" color="textSecondary">
          {rejectedTags.toLocaleString()} resource
          {rejectedTags === 1 ? ' has' : 's have'} unreadable billing tags;
          inventory tags were judged where there are some.
        </Typography>
      )}
    </Box>
  );
}

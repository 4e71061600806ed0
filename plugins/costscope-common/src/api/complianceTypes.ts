import { CostBasis, DateRange, Money } from './types';

/**
 * What is wrong with one required tag on one resource.
 *
 * - `missing`: no tag with the key (or one of its aliases) is present.
 * - `empty`: the tag is present but its value is empty or only whitespace.
 * - `not-allowed`: the value is neither in the allowed list nor matched by the pattern.
 * - `case-mismatch`: the key or the value is right except for letter case, and the policy
 *   compares that part case-sensitively (`Prod` where `prod` is required, or key `Team`
 *   where the policy requires `team`).
 * @public
 */
export type TagViolationProblem =
  | 'missing'
  | 'empty'
  | 'not-allowed'
  | 'case-mismatch';

/** One broken rule of the tag policy on one resource. @public */
export interface TagViolation {
  /** The required key as the policy names it (not an alias, not the resource's spelling). */
  key: string;
  problem: TagViolationProblem;
  /**
   * The key as the resource spells it, when it differs from `key`: an alias (`env`), other
   * letter case (`Team`) or surrounding spaces (`" team"`).
   */
  foundKey?: string;
  /** The offending value, for `not-allowed` and `case-mismatch` of a value. */
  value?: string;
  /**
   * What the policy accepts, for display: `one of: prod, staging, dev`,
   * `matching ^[a-z][a-z0-9-]*$` or `key spelled 'team'`.
   */
  allowed?: string;
}

/** Which tags a resource's compliance was judged on. @public */
export type TagSourceUsed = 'inventory' | 'billing' | 'none';

/** A resource in the policy's scope that breaks at least one rule. @public */
export interface NonCompliantResource {
  /** The provider's id, as billing lines carry it (`i-0abc...`, an ARN, ...). */
  resourceId: string;
  resourceName?: string;
  /** FOCUS `ResourceType` or the inventory's kind (`instance`, `volume`). */
  resourceType?: string;
  /** FOCUS `ProviderName`, e.g. `AWS`. */
  provider: string;
  /** The sub-account (AWS linked account, Azure subscription, GCP project). */
  accountId?: string;
  /** FOCUS `ServiceName`. */
  service?: string;
  /** Cost of the resource in the range, in the billing currency. */
  cost: Money;
  /** Every broken rule, in the order of the policy's required tags. */
  violations: TagViolation[];
  /** Which source's tags were judged: the inventory's current tags win when present. */
  tagsUsed: TagSourceUsed;
  /** The tags each source holds for the resource, as read (values as strings). */
  tagSources: {
    /** Tags of the resource's most recent billing line (FOCUS `Tags`). */
    billing?: Record<string, string>;
    /** Current tags from the inventory. */
    inventory?: Record<string, string>;
  };
  /**
   * Set when billing and inventory tags differ on a key the policy cares about, e.g.
   * `tag team added in inventory, not yet in billing data`.
   */
  disagreement?: string;
  /**
   * Set when the billing `Tags` could not be read (malformed JSON) and no inventory tags
   * exist: the resource cannot be shown to comply, so it counts as non-compliant.
   */
  unreadableTags?: string;
}

/** A count and a cost, split into all and compliant. @public */
export interface ComplianceTotals {
  /** Resources in the policy's scope, and those of them that break no rule. */
  resources: { total: number; compliant: number };
  /** Cost of those resources in the range; `compliant` counts compliant resources only. */
  cost: { total: Money; compliant: Money };
  /** `resources.compliant / resources.total`, 4 decimals; null when there are none. */
  compliantShareByCount: number | null;
  /**
   * `cost.compliant / cost.total`, 4 decimals, computed exactly; null when the total is zero
   * or negative. Can leave 0..1 when credits make a resource's net cost negative.
   */
  compliantShareByCost: number | null;
}

/** How often one required key is broken, and what the breaking resources cost. @public */
export interface ComplianceByKey {
  /** The required key as the policy names it. */
  key: string;
  /** Resources where the key is `missing` or `empty`. */
  missingCount: number;
  /** Cost of those resources. */
  missingCost: Money;
  /** Resources where the value is `not-allowed` or a `case-mismatch`. */
  invalidCount: number;
  /** Cost of those resources. */
  invalidCost: Money;
}

/** One rule of the tag policy, described for display. @public */
export interface TagPolicyRuleDescription {
  key: string;
  /** Other spellings that count as the key. */
  aliases: string[];
  /** What values are accepted; absent when any non-empty value is. */
  allowed?: string;
  /** Which resources the rule applies to, when narrower than the policy's scope. */
  scope?: string;
}

/** The tag policy in force, described for display. @public */
export interface TagPolicyDescription {
  rules: TagPolicyRuleDescription[];
  /** Whether `Team` counts as `team`. */
  keyCaseInsensitive: boolean;
  /** Which resources the policy applies to; absent when it applies to all. */
  scope?: string;
}

/** Tag compliance of an entity (rolled up over its children) for a range. @public */
export interface EntityCompliance extends DateRange, ComplianceTotals {
  entityRef: string;
  currency: string;
  /** The basis every cost here is counted on. */
  costBasis: CostBasis;
  policy: TagPolicyDescription;
  /** Resources of the entity that the policy does not apply to: not counted above. */
  outOfScope: { resources: number; cost: Money };
  /** Resources whose billing `Tags` JSON was malformed (counted, judged on inventory tags when present). */
  rejectedTags: number;
  /** One line per required key, in policy order. */
  byKey: ComplianceByKey[];
  /** Non-compliant resources, highest cost first (possibly capped; see `resources`). */
  nonCompliant: NonCompliantResource[];
  /**
   * Resources of entities hidden from the caller: not judged above, only counted here with
   * their cost (absent when nothing is hidden).
   */
  notVisible?: { resources: number; cost: Money };
}

/** Compliance of one slice of the organisation: an account, a service. @public */
export interface ComplianceBreakdownItem extends ComplianceTotals {
  key: string;
  /** Human-readable label when it differs from the key (an account name). */
  label?: string;
}

/** Compliance for one calendar month (UTC). @public */
export interface ComplianceTrendPoint extends ComplianceTotals {
  /** `YYYY-MM`. */
  month: string;
}

/** One piece of evidence for a likely owner. @public */
export interface OwnerEvidence {
  /**
   * `tag`: another tag of the resource names the entity (`owner=payments`);
   * `account`: the resource's account is mapped to the entity;
   * `name`: the resource's name starts with a component's name.
   */
  kind: 'tag' | 'account' | 'name';
  /** For display: `tag owner=Payments matches group payments`. */
  detail: string;
}

/** Whom to ask about an unallocated resource. @public */
export interface LikelyOwner {
  /** The group (or user) to ask. */
  ownerRef: string;
  /** The entity the resource probably belongs to (a component), when the evidence names one. */
  entityRef?: string;
  evidence: OwnerEvidence[];
  /**
   * `high`: an ownership tag names the owner, alone or with other agreeing evidence;
   * `medium`: a near match or two agreeing weak clues; `low`: one weak clue, or the clues disagree.
   */
  confidence: 'high' | 'medium' | 'low';
}

/** An unallocated resource with its cost and, when one can be guessed, its likely owner. @public */
export interface UnallocatedResource {
  resourceId: string;
  resourceName?: string;
  provider: string;
  accountId?: string;
  service?: string;
  cost: Money;
  /** The tags used to guess the owner (inventory when present, else billing). */
  tags: Record<string, string>;
  likelyOwner?: LikelyOwner;
}

/** Organisation-wide tag compliance for a range, for the Costscope page. @public */
export interface OrganisationCompliance extends DateRange, ComplianceTotals {
  currency: string;
  /** The basis every cost here is counted on. */
  costBasis: CostBasis;
  policy: TagPolicyDescription;
  outOfScope: { resources: number; cost: Money };
  rejectedTags: number;
  /** By sub-account, most non-compliant cost first. */
  byAccount: ComplianceBreakdownItem[];
  /** By service, most non-compliant cost first. */
  byService: ComplianceBreakdownItem[];
  /** One line per required key, in policy order. */
  byKey: ComplianceByKey[];
  /** One point per month overlapping the range, oldest first. */
  trend: ComplianceTrendPoint[];
  /**
   * Resources of entities hidden from the caller: not judged above (nor in the breakdowns
   * and trend), only counted here with their cost (absent when nothing is hidden).
   */
  notVisible?: { resources: number; cost: Money };
  /** Cost that no entity was allocated. */
  unallocated: {
    cost: Money;
    /** The costliest unallocated resources, with their likely owners. */
    top: UnallocatedResource[];
  };
}

/**
 * Who a chargeback report charges: `group`, the owning team (the top-level group an entity
 * rolls up to); `costCenter`, the `costscope.io/cost-center` annotation of that group.
 * @public
 */
export type ChargebackOwnerBy = 'group' | 'costCenter';

/** One line of a chargeback report: what one owner pays for one service in one month. @public */
export interface ChargebackReportLine {
  /** `YYYY-MM`. */
  month: string;
  /** A group ref (`group:default/payments`) or a cost center (`CC-4711`); empty for unallocated. */
  owner: string;
  /** Display name of the owner, when known. */
  ownerName?: string;
  service: string;
  /**
   * `allocated`, `shared` (an owner's part of split shared cost), `unallocated`, or
   * `not-visible`: one line per month for the owners hidden from the caller (owner and
   * service empty).
   */
  kind: 'allocated' | 'shared' | 'unallocated' | 'not-visible';
  /** Exact decimal string, all stored fractional digits. */
  cost: Money;
}

/** A chargeback report for a range; the lines add up to `total`, which equals the bill. @public */
export interface ChargebackReport extends DateRange {
  by: ChargebackOwnerBy;
  currency: string;
  /** The basis every amount is counted on. */
  costBasis: CostBasis;
  /** The bill's total for the range, exact. */
  total: Money;
  /** How shared and unallocated cost appear: as own lines, or split over owners by their cost. */
  sharedCost: 'own-line' | 'proportional';
  lines: ChargebackReportLine[];
}

import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AWS_ACCOUNT_IDS_ANNOTATION,
  ChargebackOwnerBy,
  ChargebackReport,
  CostBasis,
  CostQuery,
  DateRange,
  EntityCompliance,
  nanosToMoney,
  OrganisationCompliance,
} from '@costscope/backstage-plugin-common';
import { SnapshotEntity } from '../allocation/catalogSnapshot';
import { chargebackLines, chargebackRules } from '../compliance/chargeback';
import { chargebackCsvLines } from '../compliance/chargebackCsv';
import { KnownEntity, LikelyOwnerOptions } from '../compliance/likelyOwner';
import { ChargebackConfig } from '../compliance/readChargebackConfig';
import {
  summariseEntityCompliance,
  summariseOrganisationCompliance,
} from '../compliance/summarise';
import { TagPolicy } from '../compliance/tagPolicy';
import { compareBigInt } from '../lib/decimal';
import { JsonAnswer } from '../lib/gzippedJson';
import { ComplianceQueries } from '../store/ComplianceQueries';
import { KeptReportName, KeptReportStore } from '../store/KeptReportStore';
import { EVERYTHING_VISIBLE, seesEverything, Visibility } from './access';
import { hidingChargebackRules, mergeHiddenChargeback } from './hideEntities';
import { ComplianceService } from './services';

const NOTHING_HIDDEN: ReadonlySet<string> = new Set();

/** Without a configured policy nothing is required, so every resource complies. */
const NO_POLICY: TagPolicy = {
  keyCaseInsensitive: true,
  valueCaseInsensitive: false,
  requiredTags: [],
};

/** Unallocated resources shown with a likely owner on the Costscope page. */
const TOP_UNALLOCATED = 20;

/** Non-compliant resources listed per entity; the counts are always whole. */
const MAX_NON_COMPLIANT = 200;

export interface DefaultComplianceServiceOptions {
  queries: ComplianceQueries;
  /** The catalog entities allocation works with, for owners and cost centers. */
  loadEntities: () => Promise<SnapshotEntity[]>;
  policy?: TagPolicy;
  likelyOwnerOptions?: LikelyOwnerOptions;
  chargeback: ChargebackConfig;
  currency: () => Promise<string>;
  /** The chargeback's basis when a request names none (`costscope.costBasis`). */
  costBasis: CostBasis;
  /** Reports computed after each rebuild ({@link ReportKeeper}); all are read live without. */
  keptReports?: Pick<KeptReportStore, 'read'>;
}

function knownEntity(entity: SnapshotEntity): KnownEntity {
  const accounts = entity.annotations[AWS_ACCOUNT_IDS_ANNOTATION];
  return {
    ref: entity.ref,
    name: entity.name,
    kind: entity.kind,
    ownerRef: entity.ownerRef,
    accountIds: accounts
      ?.split(',')
      .map(id => id.trim())
      .filter(Boolean),
  };
}

/** Tag compliance against the configured policy, and chargeback by the configured rules. */
export class DefaultComplianceService implements ComplianceService {
  private readonly policy: TagPolicy;
  /**
   * The configuration the reports depend on, hashed: a report kept under another one (before
   * a restart with a new tag policy, say) is not served.
   */
  readonly inputsKey: string;

  constructor(private readonly options: DefaultComplianceServiceOptions) {
    this.policy = options.policy ?? NO_POLICY;
    this.inputsKey = createHash('sha256')
      .update(
        JSON.stringify({
          // A rule's RegExp serialises as {}: its source and flags are beside it.
          policy: this.policy,
          likelyOwner: options.likelyOwnerOptions ?? {},
          chargeback: options.chargeback,
        }),
      )
      .digest('hex');
  }

  async entityCompliance(
    entityRef: string,
    query: CostQuery,
    hidden: ReadonlySet<string> = NOTHING_HIDDEN,
  ): Promise<EntityCompliance> {
    const { queries } = this.options;
    const { costBasis, ...range } = this.resolve(query);
    const summary = summariseEntityCompliance({
      entityRef,
      ...range,
      currency: await this.options.currency(),
      costBasis,
      policy: this.policy,
      resources: await queries.entityResources(
        entityRef,
        range,
        costBasis,
        hidden,
      ),
      maxNonCompliant: MAX_NON_COMPLIANT,
    });
    if (hidden.size === 0) return summary;
    const notVisible = await queries.resourcesOf(
      entityRef,
      range,
      costBasis,
      hidden,
    );
    return {
      ...summary,
      notVisible: {
        resources: notVisible.resources,
        cost: nanosToMoney(notVisible.costNanos),
      },
    };
  }

  async everyEntityCompliance(
    query: CostQuery,
  ): Promise<(entityRef: string) => EntityCompliance> {
    const { costBasis, ...range } = this.resolve(query);
    const [currency, resources] = await Promise.all([
      this.options.currency(),
      this.options.queries.everyEntityResources(range, costBasis),
    ]);
    return entityRef =>
      summariseEntityCompliance({
        entityRef,
        ...range,
        currency,
        costBasis,
        policy: this.policy,
        resources: resources.of(entityRef),
        maxNonCompliant: MAX_NON_COMPLIANT,
      });
  }

  async organisationCompliance(
    query: CostQuery,
    hidden: ReadonlySet<string> = NOTHING_HIDDEN,
  ): Promise<OrganisationCompliance> {
    const { costBasis, ...range } = this.resolve(query);
    const compliance = await this.visibleOrganisationCompliance(
      range,
      costBasis,
      hidden,
    );
    if (hidden.size === 0) return compliance;
    const notVisible = await this.options.queries.resourcesOf(
      undefined,
      range,
      costBasis,
      hidden,
    );
    const isHidden = (ref?: string) =>
      !!ref && hidden.has(ref.toLocaleLowerCase('en-US'));
    // A guessed owner may name an entity or group the caller may not see: the guess goes.
    return {
      ...compliance,
      notVisible: {
        resources: notVisible.resources,
        cost: nanosToMoney(notVisible.costNanos),
      },
      unallocated: {
        ...compliance.unallocated,
        top: compliance.unallocated.top.map(({ likelyOwner, ...resource }) =>
          likelyOwner &&
          !isHidden(likelyOwner.ownerRef) &&
          !isHidden(likelyOwner.entityRef)
            ? { ...resource, likelyOwner }
            : resource,
        ),
      },
    };
  }

  /** {@link organisationCompliance} serialised: the kept report for a caller who sees all. */
  async organisationComplianceJson(
    query: CostQuery,
    visibility: Visibility = EVERYTHING_VISIBLE,
  ): Promise<JsonAnswer> {
    const kept = await this.keptReport('compliance', query, visibility);
    if (kept !== undefined) return kept;
    return JSON.stringify(
      await this.organisationCompliance(query, await visibility.hidden()),
    );
  }

  /** Compliance of the resources of visible entities, and of unallocated ones. */
  private async visibleOrganisationCompliance(
    range: DateRange,
    costBasis: CostBasis,
    hidden: ReadonlySet<string>,
  ) {
    const { queries } = this.options;
    const { resources, months, unallocated } =
      await queries.organisationResourcesByMonth(range, costBasis, hidden);
    return summariseOrganisationCompliance({
      ...range,
      currency: await this.options.currency(),
      costBasis,
      policy: this.policy,
      resources,
      months,
      accountNames: await queries.accountNames(),
      unallocated: {
        costNanos: await queries.unallocatedCost(range, costBasis),
        top: unallocated
          .sort((a, b) => compareBigInt(b.costNanos, a.costNanos))
          .slice(0, TOP_UNALLOCATED),
      },
      entities: (await this.options.loadEntities()).map(knownEntity),
      likelyOwnerOptions: this.options.likelyOwnerOptions,
    });
  }

  async chargeback(
    query: CostQuery,
    by: ChargebackOwnerBy,
    hidden: ReadonlySet<string> = NOTHING_HIDDEN,
  ): Promise<ChargebackReport> {
    const range = this.resolve(query);
    const report: ChargebackReport = {
      ...range,
      by,
      currency: await this.options.currency(),
      total: nanosToMoney(
        await this.options.queries.billTotal(range, range.costBasis),
      ),
      sharedCost: this.options.chargeback.sharedCost,
      lines: [],
    };
    for await (const line of await this.lines(range, by, hidden)) {
      report.lines.push({
        month: line.month,
        owner: line.owner,
        ...(line.ownerName ? { ownerName: line.ownerName } : {}),
        service: line.service,
        kind: line.kind,
        cost: nanosToMoney(line.costNanos),
      });
    }
    return report;
  }

  /** {@link chargeback} serialised: the kept report by team for a caller who sees all. */
  async chargebackJson(
    query: CostQuery,
    by: ChargebackOwnerBy,
    visibility: Visibility = EVERYTHING_VISIBLE,
  ): Promise<JsonAnswer> {
    const kept =
      by === 'group'
        ? await this.keptReport('chargeback-group', query, visibility)
        : undefined;
    if (kept !== undefined) return kept;
    return JSON.stringify(
      await this.chargeback(query, by, await visibility.hidden()),
    );
  }

  async chargebackCsv(
    query: CostQuery,
    by: ChargebackOwnerBy,
    hidden: ReadonlySet<string> = NOTHING_HIDDEN,
  ): Promise<Readable> {
    const range = this.resolve(query);
    const [currency, billTotalNanos, lines] = await Promise.all([
      this.options.currency(),
      this.options.queries.billTotal(range, range.costBasis),
      this.lines(range, by, hidden),
    ]);
    return Readable.from(
      chargebackCsvLines(lines, {
        currency,
        costBasis: range.costBasis,
        billTotalNanos,
      }),
    );
  }

  /**
   * The kept report for the query when there is one and the caller sees every entity
   * (`seesEverything`): a restricted caller's report is computed for them.
   */
  private async keptReport(
    report: KeptReportName,
    query: CostQuery,
    visibility: Visibility,
  ): Promise<JsonAnswer | undefined> {
    if (!seesEverything(visibility) || !this.options.keptReports) {
      return undefined;
    }
    const { costBasis, ...range } = this.resolve(query);
    return this.options.keptReports.read({
      report,
      range: { from: range.from, to: range.to },
      costBasis,
      inputsKey: this.inputsKey,
    });
  }

  /** The query with its basis: the configured one when it names none. */
  private resolve(query: CostQuery): Required<CostQuery> {
    return { ...query, costBasis: query.costBasis ?? this.options.costBasis };
  }

  private async lines(
    range: Required<CostQuery>,
    by: ChargebackOwnerBy,
    hidden: ReadonlySet<string>,
  ) {
    const rules = chargebackRules({
      entities: await this.options.loadEntities(),
      by,
      ...this.options.chargeback,
    });
    const facts = this.options.queries.chargebackFacts(range, range.costBasis);
    if (hidden.size === 0) return chargebackLines(facts, rules);
    return mergeHiddenChargeback(
      chargebackLines(facts, hidingChargebackRules(rules, hidden)),
    );
  }
}

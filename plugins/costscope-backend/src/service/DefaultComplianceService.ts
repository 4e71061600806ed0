import { Readable } from 'node:stream';
import {
  AWS_ACCOUNT_IDS_ANNOTATION,
  ChargebackOwnerBy,
  ChargebackReport,
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
import { ComplianceQueries } from '../store/ComplianceQueries';
import { ComplianceService } from './services';

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

  constructor(private readonly options: DefaultComplianceServiceOptions) {
    this.policy = options.policy ?? NO_POLICY;
  }

  async entityCompliance(
    entityRef: string,
    range: DateRange,
  ): Promise<EntityCompliance> {
    return summariseEntityCompliance({
      entityRef,
      ...range,
      currency: await this.options.currency(),
      policy: this.policy,
      resources: await this.options.queries.entityResources(entityRef, range),
      maxNonCompliant: MAX_NON_COMPLIANT,
    });
  }

  async organisationCompliance(
    range: DateRange,
  ): Promise<OrganisationCompliance> {
    const { queries } = this.options;
    const { resources, months, unallocated } =
      await queries.organisationResourcesByMonth(range);
    return summariseOrganisationCompliance({
      ...range,
      currency: await this.options.currency(),
      policy: this.policy,
      resources,
      months,
      accountNames: await queries.accountNames(),
      unallocated: {
        costNanos: await queries.unallocatedCost(range),
        top: unallocated
          .sort((a, b) => compareBigInt(b.costNanos, a.costNanos))
          .slice(0, TOP_UNALLOCATED),
      },
      entities: (await this.options.loadEntities()).map(knownEntity),
      likelyOwnerOptions: this.options.likelyOwnerOptions,
    });
  }

  async chargeback(
    range: DateRange,
    by: ChargebackOwnerBy,
  ): Promise<ChargebackReport> {
    const report: ChargebackReport = {
      ...range,
      by,
      currency: await this.options.currency(),
      total: nanosToMoney(await this.options.queries.billTotal(range)),
      sharedCost: this.options.chargeback.sharedCost,
      lines: [],
    };
    for await (const line of await this.lines(range, by)) {
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

  async chargebackCsv(
    range: DateRange,
    by: ChargebackOwnerBy,
  ): Promise<Readable> {
    const [currency, billTotalNanos, lines] = await Promise.all([
      this.options.currency(),
      this.options.queries.billTotal(range),
      this.lines(range, by),
    ]);
    return Readable.from(chargebackCsvLines(lines, { currency, billTotalNanos }));
  }

  private async lines(range: DateRange, by: ChargebackOwnerBy) {
    return chargebackLines(
      this.options.queries.chargebackFacts(range),
      chargebackRules({
        entities: await this.options.loadEntities(),
        by,
        ...this.options.chargeback,
      }),
    );
  }
}

import { CostDigest } from '@costscope/backstage-plugin-common';
import { SnapshotEntity } from '../allocation/catalogSnapshot';
import { DigestBuilder } from '../digests/DigestBuilder';
import {
  digestPeriodOf,
  latestCompleteDigestPeriod,
} from '../digests/digestPeriods';
import { fromEpochDay, toEpochDay } from '../budgets/series';
import { Visibility } from './access';
import { DigestsService } from './services';

export interface DefaultDigestsServiceOptions {
  builder: Pick<DigestBuilder, 'build'>;
  lastCostDay: () => Promise<string | undefined>;
  /** The entity from the allocation snapshot, for its title. */
  getEntity: (entityRef: string) => Promise<SnapshotEntity | undefined>;
  now?: () => Date;
}

/** Digests read in the portal: the period asked for, or the latest complete one. */
export class DefaultDigestsService implements DigestsService {
  private readonly now: () => Date;

  constructor(private readonly options: DefaultDigestsServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async digest(
    entityRef: string,
    request: Parameters<DigestsService['digest']>[1],
    visibility?: Visibility,
    organisationFigures = false,
  ): Promise<CostDigest> {
    const ref = entityRef.toLocaleLowerCase('en-US');
    const today = this.now().toISOString().slice(0, 10);
    const lastDay =
      (await this.options.lastCostDay()) ?? fromEpochDay(toEpochDay(today) - 1);
    const range = request.date
      ? digestPeriodOf(request.period, request.date)
      : latestCompleteDigestPeriod(request.period, lastDay);
    const entity = await this.options.getEntity(ref);
    return this.options.builder.build({
      entityRef: ref,
      title: entity?.title,
      period: request.period,
      range,
      today,
      costBasis: request.costBasis,
      visibility,
      organisationFigures,
    });
  }
}

import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import {
  InventoryReadContext,
  InventoryResource,
  InventorySource,
} from '@costscope/backstage-plugin-node';
import { describeAwsError } from '../awsErrors';
import { AccountClients } from '../clients';
import { AwsAccountConfig, AwsModuleConfig } from '../config';
import {
  DescribeContext,
  describeAddresses,
  describeInstances,
  describeSnapshots,
  describeVolumes,
} from './describeResources';
import { readUtilisation } from './readUtilisation';

const HOUR_MS = 3_600_000;

/**
 * Resources of one AWS account across its regions (instances, volumes, Elastic IPs, owned
 * snapshots) with their current tags, and the hourly CPU and memory of running instances
 * over the lookback window.
 */
export class Ec2InventorySource implements InventorySource {
  readonly id: string;
  readonly description: string;
  readonly schedule: SchedulerServiceTaskScheduleDefinition;

  constructor(
    private readonly account: AwsAccountConfig,
    private readonly config: AwsModuleConfig,
    private readonly clients: AccountClients,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.id = `aws-ec2-${account.accountId}`;
    this.description = `AWS EC2 and CloudWatch, account ${
      account.name ?? account.accountId
    }`;
    this.schedule = config.inventory.schedule;
  }

  async *read(context: InventoryReadContext): AsyncIterable<InventoryResource> {
    for (const region of this.account.regions) {
      const what = `EC2 and CloudWatch, account ${this.account.accountId}, ${region}`;
      try {
        yield* await this.readRegion(region, context);
      } catch (error) {
        throw describeAwsError(error, what);
      }
    }
  }

  private async readRegion(
    region: string,
    context: InventoryReadContext,
  ): Promise<InventoryResource[]> {
    const describe: DescribeContext = {
      accountId: this.account.accountId,
      region,
      client: this.clients.ec2(region),
      apiCall: operation => context.apiCall(operation),
      signal: context.signal,
    };
    const instances = await describeInstances(describe);
    const volumes = await describeVolumes(describe);
    const addresses = await describeAddresses(describe);
    const snapshots = await describeSnapshots(describe);

    const end = new Date(Math.floor(this.now().getTime() / HOUR_MS) * HOUR_MS);
    const start = new Date(
      end.getTime() - this.config.inventory.lookbackDays * 24 * HOUR_MS,
    );
    const running = instances.filter(i => i.state === 'running');
    const utilisation = await readUtilisation({
      client: this.clients.cloudWatch(region),
      instanceIds: running.map(i => i.resourceId),
      start,
      end,
      apiCall: operation => context.apiCall(operation),
      signal: context.signal,
    });
    for (const instance of running) {
      instance.utilisation = utilisation.get(instance.resourceId) ?? [];
    }
    return [...instances, ...volumes, ...addresses, ...snapshots];
  }
}

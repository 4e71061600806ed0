import {
  DescribeAddressesCommand,
  EC2Client,
  Instance,
  paginateDescribeInstances,
  paginateDescribeSnapshots,
  paginateDescribeVolumes,
  Tag,
} from '@aws-sdk/client-ec2';
import { InventoryResource } from '@costscope/backstage-plugin-node';

/** Page size of the paginated Describe calls; EC2 allows up to 1000 (instances) or 500. */
const PAGE_SIZE = 500;

export interface DescribeContext {
  accountId: string;
  region: string;
  client: EC2Client;
  apiCall(operation: string): void;
  signal?: AbortSignal;
}

function tagsOf(tags: Tag[] | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const tag of tags ?? []) {
    if (tag.Key !== undefined) result[tag.Key] = tag.Value ?? '';
  }
  return result;
}

function iso(date: Date | undefined): string | undefined {
  return date ? date.toISOString() : undefined;
}

function base(context: DescribeContext, tags: Record<string, string>) {
  return {
    provider: 'AWS',
    accountId: context.accountId,
    region: context.region,
    name: tags.Name,
    tags,
  };
}

function instanceResource(
  context: DescribeContext,
  instance: Instance,
): InventoryResource {
  const tags = tagsOf(instance.Tags);
  return {
    ...base(context, tags),
    resourceId: instance.InstanceId!,
    kind: 'instance',
    state: instance.State?.Name,
    type: instance.InstanceType,
    createdAt: iso(instance.LaunchTime),
  };
}

export async function describeInstances(
  context: DescribeContext,
): Promise<InventoryResource[]> {
  const resources: InventoryResource[] = [];
  const pages = paginateDescribeInstances(
    { client: context.client, pageSize: PAGE_SIZE },
    {},
  );
  for await (const page of pages) {
    context.apiCall('ec2:DescribeInstances');
    for (const reservation of page.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) {
        if (instance.InstanceId)
          resources.push(instanceResource(context, instance));
      }
    }
  }
  return resources;
}

export async function describeVolumes(
  context: DescribeContext,
): Promise<InventoryResource[]> {
  const resources: InventoryResource[] = [];
  const pages = paginateDescribeVolumes(
    { client: context.client, pageSize: PAGE_SIZE },
    {},
  );
  for await (const page of pages) {
    context.apiCall('ec2:DescribeVolumes');
    for (const volume of page.Volumes ?? []) {
      if (!volume.VolumeId) continue;
      const tags = tagsOf(volume.Tags);
      resources.push({
        ...base(context, tags),
        resourceId: volume.VolumeId,
        kind: 'volume',
        state: volume.State,
        type: volume.VolumeType,
        sizeGiB: volume.Size,
        attachedTo: volume.Attachments?.find(a => a.InstanceId)?.InstanceId,
        createdAt: iso(volume.CreateTime),
      });
    }
  }
  return resources;
}

/** DescribeAddresses has no paging: one call answers every address of the region. */
export async function describeAddresses(
  context: DescribeContext,
): Promise<InventoryResource[]> {
  context.apiCall('ec2:DescribeAddresses');
  const answer = await context.client.send(new DescribeAddressesCommand({}), {
    abortSignal: context.signal,
  });
  return (answer.Addresses ?? []).flatMap(address => {
    const id = address.AllocationId ?? address.PublicIp;
    if (!id) return [];
    const tags = tagsOf(address.Tags);
    return [
      {
        ...base(context, tags),
        resourceId: id,
        kind: 'address',
        state: address.AssociationId ? 'associated' : 'unassociated',
        type: address.Domain,
        attachedTo: address.InstanceId ?? address.NetworkInterfaceId,
      },
    ];
  });
}

/** Only the account's own snapshots: public and shared ones are not its cost. */
export async function describeSnapshots(
  context: DescribeContext,
): Promise<InventoryResource[]> {
  const resources: InventoryResource[] = [];
  const pages = paginateDescribeSnapshots(
    { client: context.client, pageSize: PAGE_SIZE },
    { OwnerIds: ['self'] },
  );
  for await (const page of pages) {
    context.apiCall('ec2:DescribeSnapshots');
    for (const snapshot of page.Snapshots ?? []) {
      if (!snapshot.SnapshotId) continue;
      const tags = tagsOf(snapshot.Tags);
      resources.push({
        ...base(context, tags),
        resourceId: snapshot.SnapshotId,
        kind: 'snapshot',
        state: snapshot.State,
        sizeGiB: snapshot.VolumeSize,
        attachedTo: snapshot.VolumeId,
        createdAt: iso(snapshot.StartTime),
      });
    }
  }
  return resources;
}

import { CostAlert } from '@costscope/backstage-plugin-common';

/** A channel that tells people of an alert. */
export interface AlertDelivery {
  /** Recorded in the alert's `deliveredTo`. */
  readonly name: string;
  /** Throws when the channel did not take the alert. */
  deliver(alert: CostAlert, recipients: string[]): Promise<void>;
}

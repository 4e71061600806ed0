export interface AzuriteOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** How long to wait for it to answer; default 30000. */
  timeoutMs?: number;
}

/** A running Azurite blob service with its development account. */
export interface Azurite {
  /** http://127.0.0.1:PORT/devstoreaccount1: a client's account URL (path-style). */
  readonly accountUrl: string;
  /** devstoreaccount1. */
  readonly accountName: string;
  /** The development account's public key. */
  readonly accountKey: string;
  /** A connection string with the account key and this instance's blob endpoint. */
  readonly connectionString: string;
  readonly port: number;
  /** Stops the process and removes its data directory. */
  stop(): Promise<void>;
}

export function startAzurite(options?: AzuriteOptions): Promise<Azurite>;

export const DEV_ACCOUNT_NAME: 'devstoreaccount1';
export const DEV_ACCOUNT_KEY: string;

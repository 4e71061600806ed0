import { CostLine } from '@costscope/backstage-plugin-node';
import { FocusRejection } from './focusFileReader';

/** Placeholder until the Parquet reader lands: names the file it cannot read. */
export async function* readFocusParquet(
  _file: string,
  label: string,
  _currency: string | undefined,
  _reject: FocusRejection,
): AsyncGenerator<CostLine[]> {
  throw new Error(`FOCUS file ${label}: Parquet is not supported yet`);
}

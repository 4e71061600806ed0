import {
  CostLine,
  CostSourceReadContext,
} from '@costscope/backstage-plugin-node';
import { FocusRejection, readFocusFile } from './focusFileReader';
import { readFocusFileInWorker } from './focusWorker';
import { readFocusParquet } from './focusParquetReader';
import { FocusVersion } from './focusColumns';
import { setRowCount } from '../../ingest/rowCount';

/** Files a FOCUS source reads: CSV, gzipped CSV and Parquet, by their name. */
export const FOCUS_FILE = /\.(csv|csv\.gz|parquet)$/i;

/**
 * The cost lines of one local FOCUS file, in batches, whatever its format (CSV or Parquet):
 * decoded in a worker thread where one can be started, in this thread otherwise.
 */
export async function readFocusInput(
  file: string,
  label: string,
  currency: string | undefined,
  reject: FocusRejection,
  onVersion?: (version: FocusVersion) => void,
): Promise<AsyncIterable<CostLine[]>> {
  const inWorker = await readFocusFileInWorker(
    file,
    label,
    currency,
    reject,
    onVersion,
  );
  if (inWorker) return inWorker;
  return /\.parquet$/i.test(file)
    ? readFocusParquet(file, label, currency, reject, onVersion)
    : readFocusFile(file, label, currency, reject, onVersion);
}

/**
 * The cost lines of one local FOCUS file as a source yields them: rejected rows go to the
 * run's context under `label`, and the file counts as read, with the FOCUS version its
 * columns looked like, once all its lines are out.
 */
export async function* readFocusFileForRun(
  file: string,
  label: string,
  currency: string | undefined,
  context: CostSourceReadContext,
): AsyncGenerator<CostLine[]> {
  context.signal?.throwIfAborted();
  let focusVersion: FocusVersion | undefined;
  yield* await readFocusInput(
    file,
    label,
    currency,
    (line, reason, rows = 1) =>
      context.reject(setRowCount({ file: label, line, reason }, rows)),
    version => {
      focusVersion = version;
    },
  );
  context.fileRead(label, { focusVersion });
}

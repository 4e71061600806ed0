import { ReactElement, ReactNode } from 'react';
import { Grid, Typography } from '@material-ui/core';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { errorMessage } from '../../utils/errorMessage';

/** A 404 answer of the Costscope backend (a `ResponseError`). */
function isNotFound(error: Error): boolean {
  return (error as { statusCode?: number }).statusCode === 404;
}

/** What a data hook (`useAsync`, `useAsyncRetry`) returns, as far as showing it goes. */
export interface AsyncState<T> {
  loading: boolean;
  error?: Error;
  value?: T;
}

/** Props of {@link AsyncContent}. */
export interface AsyncContentProps<T> {
  state: AsyncState<T>;
  /** The error panel's title; the error's own message when absent. */
  errorTitle?: string;
  /** A reload keeps the previous value on screen instead of flashing a spinner. */
  keepValueWhileLoading?: boolean;
  /** Wraps the spinner and the error panel, where the content brings its own layout (grid items). */
  frame?: (status: ReactElement) => ReactElement;
  /** Shown instead of the content when the value is an empty list (or `isEmpty` says so). */
  empty?: ReactNode;
  /** When the value counts as empty; by default, an empty array. */
  isEmpty?: (value: T) => boolean;
  /** The content, given the loaded value. */
  children: (value: T) => ReactNode;
}

const isEmptyArray = (value: unknown) =>
  Array.isArray(value) && value.length === 0;

const unframed = (status: ReactElement) => status;

/** A `frame` for content made of grid items: the spinner or error panel in a full-width item. */
export function fullWidthGridItem(status: ReactElement) {
  return (
    <Grid item xs={12}>
      {status}
    </Grid>
  );
}

/**
 * One load's spinner, error panel, empty state or content: the chain every card and tab
 * repeated. Nothing renders when the load ended without a value.
 */
export function AsyncContent<T>(props: AsyncContentProps<T>) {
  const {
    state,
    errorTitle,
    keepValueWhileLoading = false,
    frame = unframed,
    empty,
    isEmpty = isEmptyArray,
    children,
  } = props;
  const { loading, error, value } = state;
  if (loading && !(keepValueWhileLoading && value !== undefined)) {
    return frame(<Progress />);
  }
  if (error && isNotFound(error)) {
    // Not a failure to report but an answer: the entity is unknown to Costscope, or hidden
    // from the viewer (the backend does not tell the two apart). Say it plainly.
    return frame(
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="costscope-not-found"
      >
        {errorMessage(error)}
      </Typography>,
    );
  }
  if (error) {
    return frame(<ResponseErrorPanel error={error} title={errorTitle} />);
  }
  if (value === undefined) return null;
  if (empty !== undefined && isEmpty(value)) return <>{empty}</>;
  return <>{children(value)}</>;
}

import { useMemo, useState } from 'react';
import type { DateRange } from '@costscope/backstage-plugin-common';
import {
  DEFAULT_RANGE_PRESET,
  RangePreset,
  rangeForPreset,
} from '../utils/dateRange';

/** The selected range preset of a view and the range of days it stands for. */
export function useRangePreset(initial: RangePreset = DEFAULT_RANGE_PRESET): {
  preset: RangePreset;
  setPreset: (preset: RangePreset) => void;
  range: DateRange;
} {
  const [preset, setPreset] = useState<RangePreset>(initial);
  const range = useMemo(() => rangeForPreset(preset), [preset]);
  return { preset, setPreset, range };
}

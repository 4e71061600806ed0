import { Box, Typography } from '@material-ui/core';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import type { DateRange } from '@costscope/backstage-plugin-common';
import { RANGE_PRESETS, RangePreset } from '../../utils/dateRange';

/** Props of {@link RangePicker}. */
export interface RangePickerProps {
  value: RangePreset;
  onChange: (preset: RangePreset) => void;
  /** The resolved days, shown beside the buttons. */
  range?: DateRange;
}

/** The range selector every Costscope view shares. */
export function RangePicker(props: RangePickerProps) {
  const { value, onChange, range } = props;
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" style={{ gap: 8 }}>
      <ToggleButtonGroup
        size="small"
        exclusive
        value={value}
        aria-label="Date range"
        onChange={(_event, next: RangePreset | null) => {
          // A click on the selected button would deselect it: keep the selection.
          if (next) onChange(next);
        }}
      >
        {RANGE_PRESETS.map(preset => (
          <ToggleButton
            key={preset.value}
            value={preset.value}
            aria-label={preset.label}
          >
            {preset.label}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
      {range && (
        <Typography
          variant="caption"
          color="textSecondary"
          data-testid="costscope-range"
        >
          {range.from === range.to
            ? `${range.from} (UTC)`
            : `${range.from} – ${range.to} (UTC)`}
        </Typography>
      )}
    </Box>
  );
}

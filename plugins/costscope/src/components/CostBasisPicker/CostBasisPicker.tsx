import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { COST_BASES, CostBasis } from '@costscope/backstage-plugin-common';
import { COST_BASIS_TEXT } from '../../utils/costBasis';

/** Props of {@link CostBasisPicker}. */
export interface CostBasisPickerProps {
  value: CostBasis;
  onChange: (basis: CostBasis) => void;
}

/** Chooses the basis every amount of a view is counted on: amortized, billed or list. */
export function CostBasisPicker(props: CostBasisPickerProps) {
  const { value, onChange } = props;
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={value}
      aria-label="Cost basis"
      onChange={(_event, next: CostBasis | null) => {
        // A click on the selected button would deselect it: keep the selection.
        if (next) onChange(next);
      }}
    >
      {/* Direct children: the group hands its selection to each button. */}
      {COST_BASES.map(basis => (
        <ToggleButton
          key={basis}
          value={basis}
          aria-label={`${COST_BASIS_TEXT[basis].label} cost`}
          title={COST_BASIS_TEXT[basis].description}
          data-testid={`costscope-basis-${basis}`}
        >
          {COST_BASIS_TEXT[basis].label}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}

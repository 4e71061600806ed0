export { RangePicker } from './RangePicker';
export type { RangePickerProps } from './RangePicker';

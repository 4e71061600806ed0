export {
  ComplianceByKeyTable,
  ComplianceFigures,
  NoTagPolicy,
  ScopeNotes,
  TagPolicyDetails,
  hasNoPolicy,
} from './ComplianceSummary';
export type {
  ComplianceByKeyTableProps,
  ComplianceFiguresProps,
  ScopeNotesProps,
  TagPolicyDetailsProps,
} from './ComplianceSummary';

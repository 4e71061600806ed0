export {
  CommitmentsReport,
  CommitmentsView,
  commitmentsToCsv,
} from './CommitmentsReport';

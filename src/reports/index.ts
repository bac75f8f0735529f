/**
 * Reports beside images: finding a study's report at any site (SR, encapsulated PDF), rendering
 * SR content, and the report state every screen shows. Retrieval and rendering arrive with the
 * federated timeline issue; the state rule is here first because every screen shares it.
 */
export { reportStateOf, type ReportState } from './reportState';

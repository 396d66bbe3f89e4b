/**
 * kesu/import: historical complaints from CSV exports, replayed through `handle` with their own
 * dates so stores, rules and SLA clocks apply. A declarative JSON mapping names the columns (with
 * aliases), the date formats and what the values mean under a preset; `examples/cfpb-mapping.json`
 * maps the US CFPB Consumer Complaint Database under the `usCfpb` preset.
 * @packageDocumentation
 */

export type { ImportInput } from "./csvRecords.js";
export type { CivilDate, CompiledDateFormat } from "./dates.js";
export { compileDateFormat } from "./dates.js";
export type {
  ImportCsvFilesOptions,
  ImportCsvOptions,
  ImportProgress,
  ImportReport,
  ImportRowError,
} from "./importCsv.js";
export {
  IMPORT_ACTOR,
  ImportInputError,
  importCsv,
  importCsvFiles,
  isImportInputError,
} from "./importCsv.js";
export type {
  ImportField,
  ImportMapping,
  ImportMappingInput,
  ImportMappingIssue,
  ImportOutcomeRule,
} from "./mapping.js";
export {
  IMPORT_FIELDS,
  ImportMappingError,
  ImportMappingSchema,
  isImportMappingError,
  parseImportMapping,
  REQUIRED_IMPORT_FIELDS,
} from "./mapping.js";
export { streamIdFor } from "./rowKey.js";

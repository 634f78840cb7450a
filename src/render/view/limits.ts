/**
 * Bounds on every list in the PDF and HTML, so the page count grows with the baseline and not
 * with the estate: the complete lists are in the XLSX and CSV files, and each cut list says so.
 */
export const LIMITS = {
  findingsPerControl: 5,
  attention: 25,
  accounts: 40,
  unrecorded: 20,
  resourceTypesPerCategory: 14,
  attestations: 60,
  exceptions: 60,
  gaps: 40,
  residencyResources: 20,
  files: 120,
  changesPerList: 12,
  unmappedRules: 20,
  annotationChars: 220,
} as const;

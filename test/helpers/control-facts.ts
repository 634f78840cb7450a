import type { ControlFacts } from '../../src/assess/status';

/** The facts of a customer control with no evidence at all, but for `overrides`. */
export const controlFacts = (overrides: Partial<ControlFacts> = {}): ControlFacts => ({
  responsibility: 'customer',
  mappedRules: [],
  results: [],
  unrecordedLocations: [],
  collectionGaps: 0,
  reports: [],
  reportsExcluded: [],
  attestations: [],
  processChecks: [],
  exceptions: [],
  residencyFindings: 0,
  notApplicable: null,
  ...overrides,
});

/**
 * The estates measured. Resources per account were chosen so the sample generator lands near the
 * evaluation counts issue 6 names (small ~10k, medium ~300k, large ~2M): each account's
 * resources are judged by the rules of three conformance packs, about 4.4 evaluations each.
 */
export interface Size {
  name: string;
  accounts: number;
  resourcesPerAccount: number;
}

export const SIZES: readonly Size[] = [
  { name: 'small', accounts: 3, resourcesPerAccount: 850 },
  { name: 'medium', accounts: 100, resourcesPerAccount: 650 },
  { name: 'large', accounts: 1000, resourcesPerAccount: 440 },
];

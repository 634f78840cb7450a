const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Whether a name has the form of an AWS region (ap-southeast-2), known or not. */
export const looksLikeRegion = (region: string): boolean => REGION.test(region);

/**
 * Whether the AWS SDK's own region data (the partitions it ships, which it updates as AWS opens
 * regions) lists the region. The SDK answers any name with its partition's settings, and adds
 * the region's description only for a region it lists.
 */
export function isKnownRegion(region: string): boolean {
  // Loaded only when a region is named: the SDK's endpoint module takes a noticeable part of startup.
  const { partition } = require('@aws-sdk/core/client') as typeof import('@aws-sdk/core/client');
  return REGION.test(region) && 'description' in partition(region);
}

/** What is wrong with a region's name, or null; the words follow the name in quotes. */
export function regionProblem(region: string): string | null {
  if (!looksLikeRegion(region)) return 'is not an AWS region such as ap-southeast-2';
  if (!isKnownRegion(region)) return "is not an AWS region (not in the AWS SDK's region list); check the spelling, e.g. ap-southeast-2";
  return null;
}

import { z } from 'zod';
import type { YamlFile } from '../util/yaml-file';

/**
 * The service security practices of the shared responsibility model (mappings/practices.yaml):
 * what a customer's engineers do per service, tied to the managed rules that show whether the
 * estate does it. The ISM controls follow from those rules through config-rules.yaml.
 */
const identifier = z.string().regex(/^[A-Z0-9_]+$/, 'must be a managed rule identifier such as S3_BUCKET_VERSIONING_ENABLED');
const practice = z
  .strictObject({
    description: z.string().min(1),
    rules: z.array(identifier),
    manualEvidence: z.string().min(1).optional(),
  })
  // A practice is either shown by rules or, where no managed rule can show it, by named manual evidence.
  .refine((p) => p.rules.length > 0 || p.manualEvidence !== undefined, 'lists no rules: name the manualEvidence that would show it instead')
  .refine((p) => p.rules.length === 0 || p.manualEvidence === undefined, 'has rules, so manualEvidence is not used: remove one of them');

export const PRACTICES_SCHEMA = z.strictObject({
  services: z.record(
    z.string().regex(/^AWS::\w+$/, 'must be a service prefix such as AWS::S3'),
    z.strictObject({
      title: z.string().min(1),
      practices: z.record(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a short name in lower-case words joined by hyphens'), practice),
    }),
  ),
});
export type PracticesFile = z.infer<typeof PRACTICES_SCHEMA>;

export interface Practice {
  /** The service's resource type prefix, e.g. AWS::S3: the practice applies when the service is in use. */
  service: string;
  serviceTitle: string;
  /** Unique within the service. */
  name: string;
  description: string;
  /** Managed rule identifiers whose evaluations show the practice; empty when none can. */
  rules: readonly string[];
  /** What an attestation would have to show, for practices no managed rule can evidence. */
  manualEvidence: string | null;
}

/**
 * Merges practice files (later ones win practice by practice) and checks every rule against the
 * identifiers the rule mappings account for, so a typo or a rule unknown to auditpack is a
 * file:line error rather than a practice that can never be evidenced.
 */
export function resolvePractices(files: readonly YamlFile<PracticesFile>[], knownIdentifiers: ReadonlySet<string>): Practice[] {
  const byKey = new Map<string, Practice>();
  for (const f of files) {
    for (const [service, s] of Object.entries(f.data.services)) {
      for (const [name, p] of Object.entries(s.practices)) {
        const seen = new Set<string>();
        p.rules.forEach((rule, i) => {
          const at = ['services', service, 'practices', name, 'rules', i];
          if (seen.has(rule)) throw f.error(at, `practice ${name} lists ${rule} twice`);
          seen.add(rule);
          if (!knownIdentifiers.has(rule)) throw f.error(at, `rule identifier ${rule} is not in config-rules.yaml: map it there (or say it bears on no control) before a practice uses it`);
        });
        byKey.set(`${service}\n${name}`, { service, serviceTitle: s.title, name, description: p.description, rules: [...p.rules].sort(), manualEvidence: p.manualEvidence ?? null });
      }
    }
  }
  return [...byKey.values()];
}

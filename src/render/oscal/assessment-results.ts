import type { AssessmentResult, ControlAssessment } from '../../assess/result';
import { prop } from './common';
import { controlObservations, packResources } from './evidence';
import { controlFinding, controlRisk } from './findings';
import { exportMetadata, subject, type ExportOptions } from './metadata';
import type { AssessmentResults, Observation, Resource, Risk } from './model';
import { exportUuid } from './uuid';

/** One control's observations, finding and risk, built together so they reference each other. */
export interface ControlExport {
  control: ControlAssessment;
  observations: Observation[];
  risk: Risk | null;
}

export function controlExports(result: AssessmentResult): ControlExport[] {
  return result.controls.map((control) => {
    const observations = controlObservations(result, control);
    return { control, observations, risk: controlRisk(result, control, observations) };
  });
}

/** The ISM profile and catalog of the release in use, at the addresses ASD publishes them. */
function ismResources(result: AssessmentResult, planUuid: string): Resource[] {
  const base = `https://www.cyber.gov.au/ism/oscal/v${result.catalog.version}/artifacts`;
  return [
    {
      uuid: planUuid,
      title: `Assessment plan: ISM ${result.baseline} baseline, assessed by ${result.tool.name}`,
      description:
        `${result.tool.name} writes no OSCAL assessment plan. The plan is fixed by the tool: every control of the ISM ${result.baseline} baseline ` +
        `(ISM ${result.catalog.version}, the profile linked here) is assessed from the evidence in pack ${result.pack.packId} ` +
        `with the rule, process check and report mappings of ${result.tool.name} ${result.tool.version}, expiry judged at ${result.asOf}.`,
      props: [prop('baseline', result.baseline), prop('catalog-version', result.catalog.version)],
      rlinks: [{ href: `${base}/ISM_${result.baseline}-baseline_profile.json`, 'media-type': 'application/json' }],
    },
    {
      uuid: exportUuid(result.pack.packId, 'resource', 'ism-catalog'),
      title: `Information security manual ${result.catalog.version} (OSCAL catalog)`,
      description: `The catalog whose control ids the findings target (assessed from: ${result.catalog.source}).`,
      rlinks: [{ href: `${base}/ISM_catalog.json`, 'media-type': 'application/json' }],
    },
  ];
}

/** The OSCAL assessment results of one assessment: one result, one finding per baseline control. */
export function assessmentResults(result: AssessmentResult, options: ExportOptions, controls: ControlExport[]): AssessmentResults {
  const { packId, startedAt, completedAt, period } = result.pack;
  const planUuid = exportUuid(packId, result.baseline, 'assessment-plan');
  const observations = controls.flatMap((c) => c.observations);
  const risks = controls.flatMap((c) => (c.risk ? [c.risk] : []));
  return {
    'assessment-results': {
      uuid: exportUuid(packId, result.baseline, 'assessment-results'),
      metadata: exportMetadata(result, options, 'Assessment results'),
      'import-ap': {
        href: `#${planUuid}`,
        remarks: 'No assessment plan document is produced: this back-matter resource describes the plan the tool follows.',
      },
      results: [
        {
          uuid: exportUuid(packId, result.baseline, 'result'),
          title: `ISM ${result.baseline} assessment of ${subject(result, options)}, ${period}`,
          description:
            `Automated assessment of evidence pack ${packId} (manifest SHA-256 ${result.pack.manifestSha256}), collected ${startedAt} to ${completedAt} ` +
            `from ${result.pack.scope.accounts.length} AWS accounts in ${result.pack.scope.regions.join(', ')}; expiry judged at ${result.asOf}.`,
          start: startedAt,
          end: completedAt,
          props: [prop('as-of', result.asOf)],
          'reviewed-controls': { 'control-selections': [{ 'include-controls': result.controls.map((c) => ({ 'control-id': c.id })) }] },
          ...(observations.length ? { observations } : {}),
          ...(risks.length ? { risks } : {}),
          findings: controls.map((c) => controlFinding(result, c.control, c.observations)),
        },
      ],
      'back-matter': { resources: [...ismResources(result, planUuid), ...packResources(result)] },
    },
  };
}

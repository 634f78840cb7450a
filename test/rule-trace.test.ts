import { evidenceRefsCell, parametersText, ruleParametersCell } from '../src/render/rule-trace';
import { CONTROLS, ruleEvidence } from './fixtures/render-result';

const counts = { COMPLIANT: 1, NON_COMPLIANT: 0, NOT_APPLICABLE: 0, INSUFFICIENT_DATA: 0 };
const set = (parameters: Record<string, string>, deployments: number) => ({ parameters, deployments, where: [] });
const rule = (sets: ReturnType<typeof set>[], total = sets.length) => ruleEvidence({ sourceIdentifier: 'IAM_PASSWORD_POLICY', ruleNames: ['p'], counts, parameterSets: sets, parameterSetsTotal: total });

describe('rule parameters as the PDF prints them', () => {
  it('says nothing when no deployment has parameters', () => {
    expect(parametersText(rule([]))).toBeNull();
    expect(parametersText(rule([set({}, 3)]))).toBeNull();
  });

  it('prints the one set all deployments share, names sorted, values with commas kept apart', () => {
    expect(parametersText(rule([set({ b: 'kms:*, kms:Decrypt', a: '90' }, 4)]))).toBe('Parameters: a: 90 · b: kms:*, kms:Decrypt.');
  });

  it('prints each set with its deployments where they differ, and how many sets are not listed', () => {
    expect(parametersText(rule([set({ a: '90' }, 4), set({}, 1)], 12))).toBe('Parameters differ across deployments: [a: 90] in 4 deployments, [none] in 1 deployment, and 10 more sets.');
  });

  it('cuts a long value in the PDF only', () => {
    const long = 'x'.repeat(200);
    expect(parametersText(rule([set({ a: long }, 1)]))).toBe(`Parameters: a: ${'x'.repeat(79)}….`);
    const control = { ...CONTROLS[1], evidence: { ...CONTROLS[1].evidence, rules: [rule([set({ a: long }, 1)])], supportingRules: [] } };
    expect(ruleParametersCell(control)).toBe(`{"IAM_PASSWORD_POLICY":[{"a":"${long}"}]}`);
    expect(evidenceRefsCell(control)).toBeNull();
  });
});

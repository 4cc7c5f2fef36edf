import { MINIMUM_ASSESSMENT_SCORE } from '../../../../../libs/domain/index.js';

const LABELS: Record<string, string> = {
  'assessment-recorded': 'an intelligent-customer capability assessment is recorded',
  'assessment-score-at-least-3': `the assessment scores at least ${MINIMUM_ASSESSMENT_SCORE}`,
  'mandatory-lessons-acknowledged': 'every mandatory lesson is acknowledged',
  'baseline-recorded': 'a cost baseline is recorded',
  'deviations-decided': 'every deviation request is decided',
  'go-decision-department-sro': 'the department SRO says go',
  'go-decision-centre': 'the centre says go',
  'go-decision-programme': 'the programme says go',
};

/** A gate's name (`workstream-payroll-reconciled`) as a person reads it. */
export function gateLabel(gate: string): string {
  if (LABELS[gate]) return LABELS[gate];
  const workstream = /^workstream-(.+)-(complete|reconciled)$/.exec(gate);
  if (workstream) {
    const name = workstream[1] === 'hr' ? 'HR' : workstream[1];
    return workstream[2] === 'complete' ? `the ${name} workstream is complete` : `the ${name} workstream is reconciled (every record loaded)`;
  }
  return gate.replace(/-/g, ' ');
}

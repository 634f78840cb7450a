import { writeFileSync } from 'node:fs';
import { AuditpackError } from '../errors';
import { baselineNames, defaultBaseline } from '../mapping/catalog';

/**
 * The commented starter system file `auditpack init` writes. Only the baseline is set: every
 * other key is an example to edit, so the file changes nothing about a report until someone
 * names a real system and real owners (a placeholder name would be printed on the cover).
 */
export function starterSystemFile(): string {
  return `# auditpack system file (docs/system-file.md). auditpack reads auditpack.yaml from the working
# directory, or the file given with --config FILE. A command-line option of the same name wins
# over each key. Uncomment and edit the keys you need.

# The system assessed, printed on the report's cover and page headers (--system).
# system: Case Management System

# The agency the system belongs to, printed on the cover (--agency; needs system).
# agency: Department of Examples

# ISM baseline, as the catalog's profiles name it: ${baselineNames().join(', ')} (--baseline).
baseline: ${defaultBaseline()}

# PSPF protective marking on every page (--marking); default: the baseline's classification.
# marking: PROTECTED//CABINET

# AWS regions where the system's data may reside (--allowed-regions); default: the Australian regions.
# allowed-regions:
#   - ap-southeast-2
#   - ap-southeast-4

# Control owners: who answers for each control's evidence. The most specific entry wins: a
# control id, then a section title, then a guideline title (as the ISM catalog writes them),
# then the default (--owner "NAME[, ROLE][, EMAIL]" replaces the default). role and email may be left out.
# owners:
#   default:
#     name: Jane Citizen
#     role: Chief Information Security Officer
#     email: jane.citizen@agency.gov.au
#   guidelines:
#     Guidelines for system management:
#       name: Sam Lee
#       role: Platform team lead
#       email: sam.lee@agency.gov.au
#   sections:
#     Data backup and restoration:
#       name: Priya Shah
#       role: Backup service owner
#   controls:
#     ism-1564:
#       name: Alex Citizen
#       role: Governance, risk and compliance manager
#       email: alex.citizen@agency.gov.au
`;
}

/** Writes the starter file; an existing file is kept unless `force`. */
export function writeStarterSystemFile(out: string, force: boolean): void {
  try {
    // 'wx' refuses an existing file in the same call that creates it, so nothing is overwritten by a race.
    writeFileSync(out, starterSystemFile(), { flag: force ? 'w' : 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new AuditpackError(`${out}: already exists; edit it, or give --force to replace it with a new starter file`);
    throw new AuditpackError(`${out}: cannot write (${code ?? String(e)})`);
  }
}

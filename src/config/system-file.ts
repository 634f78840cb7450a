import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ControlOwners, Owner } from '../assess/owners';
import { AuditpackError } from '../errors';
import { parseBaseline, type Catalog } from '../mapping/catalog';
import { parseMarking } from '../render/marking';
import { regionProblem } from '../util/regions';
import { YamlFile } from '../util/yaml-file';

/**
 * The system file (`auditpack.yaml`, docs/system-file.md): what a team would otherwise type on
 * every `report` of a system, written once beside its packs. Its keys are the names of the CLI
 * options that override them.
 */
export const SYSTEM_FILE_NAME = 'auditpack.yaml';

/** An address with a local part, an @ and a dotted domain: enough to catch a name typed where the email goes. */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const text = z.string().trim().min(1, 'must not be empty');
const ownerSchema = z.strictObject({
  name: text.max(200, 'longer than 200 characters'),
  role: text.max(200, 'longer than 200 characters').optional(),
  email: z.string().trim().regex(EMAIL, 'is not an email address such as jane.citizen@agency.gov.au').optional(),
});
const schema = z.preprocess(
  // A file of comments only is a file that sets nothing.
  (value) => value ?? {},
  z.strictObject({
    system: text.max(200, 'longer than 200 characters').optional(),
    agency: text.max(200, 'longer than 200 characters').optional(),
    marking: z.string().optional(),
    baseline: z.string().optional(),
    'allowed-regions': z.array(z.string()).min(1, 'names no region').optional(),
    owners: z
      .strictObject({
        default: ownerSchema.optional(),
        guidelines: z.record(z.string(), ownerSchema).optional(),
        sections: z.record(z.string(), ownerSchema).optional(),
        controls: z.record(z.string(), ownerSchema).optional(),
      })
      .optional(),
  }),
);
type Data = z.infer<typeof schema>;
type OwnerData = z.infer<typeof ownerSchema>;

/** The file's settings that a CLI option of the same name overrides, each already checked. */
export interface SystemSettings {
  system?: string;
  agency?: string;
  /** As written: the report's own parsing normalises it, whichever side gave it. */
  marking?: string;
  baseline?: string;
  allowedRegions?: string[];
  /** `owners.default`. */
  owner?: Owner;
}

const toOwner = (o: OwnerData): Owner => ({ name: o.name, role: o.role ?? null, email: o.email ?? null });

export class SystemFile {
  private constructor(
    private readonly yaml: YamlFile<Data>,
    readonly settings: SystemSettings,
  ) {}

  get file(): string {
    return this.yaml.file;
  }

  /** An error pointing at the line of a key of the file. */
  error(at: readonly (string | number)[], message: string): AuditpackError {
    return new AuditpackError(`${this.yaml.file}:${this.yaml.keyLineOf(at)}: ${message}`);
  }

  /**
   * The system file to use: the one `--config` names (which must exist), else `auditpack.yaml`
   * in the working directory when there is one, else none.
   */
  static find(config: string | undefined, cwd: string = process.cwd()): SystemFile | null {
    if (config !== undefined) {
      if (!config.trim()) throw new AuditpackError('--config: no file given; name a system file such as auditpack.yaml');
      if (!existsSync(config)) throw new AuditpackError(`--config: ${config} does not exist (auditpack init --out ${config} writes a starter file)`);
      return SystemFile.load(config);
    }
    const found = path.join(cwd, SYSTEM_FILE_NAME);
    return existsSync(found) ? SystemFile.load(path.relative(cwd, found) || found) : null;
  }

  /** Reads and checks every value that needs no catalog; errors name the file and line. */
  static load(file: string): SystemFile {
    const yaml = YamlFile.load(file, schema);
    const d = yaml.data;
    const checked = <T>(at: (string | number)[], check: () => T): T => {
      try {
        return check();
      } catch (e) {
        // The parsers shared with the CLI name the option; here the key and line say where.
        if (e instanceof AuditpackError) throw yaml.error(at, `${at.join('.')}: ${e.message.replace(/^--[\w-]+: /, '')}`);
        throw e;
      }
    };
    d['allowed-regions']?.forEach((region, i) => {
      const problem = regionProblem(region.trim());
      if (problem) throw yaml.error(['allowed-regions', i], `allowed-regions.${i}: "${region}" ${problem}`);
    });
    const settings: SystemSettings = {
      system: d.system,
      agency: d.agency,
      marking: d.marking === undefined ? undefined : checked(['marking'], () => parseMarking(d.marking!).text),
      baseline: d.baseline === undefined ? undefined : checked(['baseline'], () => parseBaseline(d.baseline!)),
      allowedRegions: d['allowed-regions']?.map((r) => r.trim()),
      owner: d.owners?.default && toOwner(d.owners.default),
    };
    return new SystemFile(yaml, settings);
  }

  /**
   * The file's control owners, its overrides checked against the catalog being assessed: an
   * override naming a guideline, section or control the catalog lacks would silently own nothing.
   * `defaultOwner` is the one the command line gives, which wins over the file's.
   */
  owners(catalog: Catalog, defaultOwner: Owner | undefined): ControlOwners {
    const o = this.yaml.data.owners ?? {};
    const guidelines = new Set(catalog.controls.map((c) => c.guideline));
    const sections = new Set(catalog.controls.map((c) => c.section));
    const ids = new Set(catalog.controls.map((c) => c.id));
    const overrides = (key: 'guidelines' | 'sections' | 'controls', known: (name: string) => string | null): Record<string, Owner> =>
      Object.fromEntries(
        Object.entries(o[key] ?? {}).map(([name, owner], i, all) => {
          const id = known(name);
          if (id === null) throw this.error(['owners', key, name], `owners.${key}: "${name}" is not a ${key.slice(0, -1)} of ISM catalog ${catalog.version}`);
          const twice = all.slice(0, i).find(([earlier]) => known(earlier) === id);
          if (twice) throw this.error(['owners', key, name], `owners.${key}: "${name}" is "${twice[0]}" again; give each one owner`);
          return [id, toOwner(owner)];
        }),
      );
    return {
      default: defaultOwner ?? this.settings.owner ?? null,
      byGuideline: overrides('guidelines', (name) => (guidelines.has(name) ? name : null)),
      bySection: overrides('sections', (name) => (sections.has(name) ? name : null)),
      // Ids are matched as the ISM prints them too (ISM-1234).
      byControl: overrides('controls', (name) => (ids.has(name.toLowerCase()) ? name.toLowerCase() : null)),
    };
  }
}

/**
 * How to find the control owners once the catalog is known: the system file's, with the command
 * line's default owner in place of its own; the command line's alone; or none when neither names any.
 */
export function ownersSource(file: SystemFile | null, defaultOwner: Owner | undefined): ((catalog: Catalog) => ControlOwners) | undefined {
  if (file) return (catalog) => file.owners(catalog, defaultOwner);
  if (defaultOwner) return () => ({ default: defaultOwner, byGuideline: {}, bySection: {}, byControl: {} });
  return undefined;
}

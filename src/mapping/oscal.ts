import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AuditpackError } from '../errors';
import { parseJson } from '../util/json';
import { describeIssue } from '../util/zod';
import { builtinBaselines, type Catalog, type CatalogControl } from './catalog';

const ISM_NS = 'https://cyber.gov.au/ns/ism/oscal/3.0';

const Prop = z.looseObject({ name: z.string(), value: z.string(), ns: z.string().optional() });
const Control = z.looseObject({
  id: z.string(),
  class: z.string().optional(),
  title: z.string().optional(),
  props: z.array(Prop).optional(),
  parts: z.array(z.looseObject({ name: z.string(), prose: z.string().optional() })).optional(),
});
interface Group {
  title: string;
  groups?: Group[];
  controls?: z.infer<typeof Control>[];
}
const Group: z.ZodType<Group> = z.lazy(() => z.looseObject({ title: z.string(), groups: z.array(Group).optional(), controls: z.array(Control).optional() }));
const OscalCatalog = z.looseObject({
  catalog: z.looseObject({
    metadata: z.looseObject({ title: z.string(), version: z.string() }),
    groups: z.array(Group),
  }),
});

const ismProps = (c: z.infer<typeof Control>, name: string) => (c.props ?? []).filter((p) => p.name === name && p.ns === ISM_NS).map((p) => p.value);

/**
 * Reads an official ISM OSCAL catalog (JSON, any release). Statement text comes from here and
 * only from here: the repository never carries ASD's prose. A catalog file holds no profiles:
 * its baselines are the built-in index's, cut by the same properties.
 */
export function parseOscalCatalog(text: string, source: string): Catalog {
  const parsed = OscalCatalog.safeParse(parseJson(text, source));
  if (!parsed.success) throw new AuditpackError(`${source}: not an OSCAL catalog: ${describeIssue(parsed.error)}`);
  const { metadata, groups } = parsed.data.catalog;

  const controls: CatalogControl[] = [];
  const walk = (list: Group[], trail: string[]) => {
    for (const g of list) {
      const here = [...trail, g.title];
      for (const c of g.controls ?? []) {
        if (c.class !== 'ISM-control' && c.class !== 'ISM-principle') continue;
        const principle = c.class === 'ISM-principle';
        const revision = ismProps(c, 'revision')[0];
        controls.push({
          id: c.id,
          kind: principle ? 'principle' : 'control',
          guideline: here[0] ?? '',
          section: here[1] ?? '',
          topic: here[2] ?? '',
          label: principle ? ((c.props ?? []).find((p) => p.name === 'label')?.value ?? null) : null,
          title: principle ? (c.title ?? null) : null,
          revision: revision === undefined ? null : Number(revision),
          updated: ismProps(c, 'updated')[0] ?? null,
          applicability: ismProps(c, 'applicability'),
          essentialEight: ismProps(c, 'essential-eight-applicability'),
          statement: c.parts?.find((p) => p.name === 'statement')?.prose ?? null,
        });
      }
      walk(g.groups ?? [], here);
    }
  };
  walk(groups, []);
  if (!controls.length) throw new AuditpackError(`${source}: holds no ISM controls (is it an ISM catalog?)`);
  return { version: metadata.version, source, statementsLoaded: controls.every((c) => c.statement !== null), controls, baselines: builtinBaselines() };
}

export function loadOscalCatalog(file: string): Catalog {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AuditpackError(`${file}: cannot read the catalog (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parseOscalCatalog(text, file);
}

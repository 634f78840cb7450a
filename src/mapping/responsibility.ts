/**
 * The shared responsibility vocabulary: who implements a control, per service category. The
 * responsibility mappings are written in it, so it belongs here; the assessment and the
 * renderers read it from here.
 */
export const RESPONSIBILITIES = ['customer', 'shared', 'inherited'] as const;
/** Most demanding first: the customer implements all of a customer control, AWS all of an inherited one. */
export type Responsibility = (typeof RESPONSIBILITIES)[number];

export const SERVICE_CATEGORIES = ['infrastructure', 'container', 'abstracted'] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];

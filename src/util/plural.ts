/** A count and its noun, singular for one: `plural(1, 'control')` is "1 control", `plural(3, 'entry', 'entries')` "3 entries". */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

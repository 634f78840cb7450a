import { STATUSES, type Status } from '../src/assess/result';
import { PALETTE_MARGINS, STATUS_COLOURS } from '../src/render/statuses';

// The colour science the palette is held to (docs/report.md): CIE L*a*b* (D65) from sRGB, and the
// Machado, Oliveira and Fernandes (2009) simulations of full dichromacy, applied to linear RGB.
type Rgb = [number, number, number];

const linear = (hex: string): Rgb =>
  [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as Rgb;

function lab([r, g, b]: Rgb): Rgb {
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

const SIMULATIONS: Record<string, Rgb[]> = {
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
};

const clamp = (v: number) => Math.min(1, Math.max(0, v));
const simulate = (c: Rgb, m: Rgb[]): Rgb => m.map((row) => clamp(row[0] * c[0] + row[1] * c[1] + row[2] * c[2])) as Rgb;
const distance = (a: Rgb, b: Rgb) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
const luminance = (hex: string) => {
  const [r, g, b] = linear(hex);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

const pairs: [Status, Status][] = STATUSES.flatMap((a, i) => STATUSES.slice(i + 1).map((b): [Status, Status] => [a, b]));
const fill = (s: Status) => linear(STATUS_COLOURS[s].fill);

describe('status palette', () => {
  test('every pair of statuses differs in lightness by the documented margin (so greyscale and every colour vision tell them apart)', () => {
    const close = pairs
      .map(([a, b]) => ({ pair: `${a} / ${b}`, dL: Math.abs(lab(fill(a))[0] - lab(fill(b))[0]) }))
      .filter((p) => p.dL < PALETTE_MARGINS.lightness);
    expect(close).toEqual([]);
  });

  test.each(Object.keys(SIMULATIONS))('every pair stays apart under simulated %s', (kind) => {
    const close = pairs
      .map(([a, b]) => ({ pair: `${a} / ${b}`, dE: distance(lab(simulate(fill(a), SIMULATIONS[kind])), lab(simulate(fill(b), SIMULATIONS[kind]))) }))
      .filter((p) => p.dE < PALETTE_MARGINS.simulatedDifference);
    expect(close).toEqual([]);
  });

  test('badge text is readable on its fill (WCAG contrast)', () => {
    const low = STATUSES.map((s) => ({ status: s, ratio: contrast(STATUS_COLOURS[s].fill, STATUS_COLOURS[s].text) })).filter((r) => r.ratio < PALETTE_MARGINS.textContrast);
    expect(low).toEqual([]);
  });

  test('the checks catch two nearly identical oranges', () => {
    // The two oranges the earlier palette used for insufficient evidence and attestation expired.
    const [a, b] = [linear('#B45309'), linear('#C2410C')];
    expect(Math.abs(lab(a)[0] - lab(b)[0])).toBeLessThan(PALETTE_MARGINS.lightness);
    expect(distance(lab(simulate(a, SIMULATIONS.deuteranopia)), lab(simulate(b, SIMULATIONS.deuteranopia)))).toBeLessThan(PALETTE_MARGINS.simulatedDifference);
  });
});

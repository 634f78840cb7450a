import { stageProgress } from '../src/cli/stages';

/** A stand-in for stderr that records what is written, with a terminal or not. */
function stream(isTTY: boolean) {
  const lines: string[] = [];
  return { isTTY, lines, write: (text: string) => lines.push(text) };
}

/** A clock that advances by the given milliseconds at each reading. */
function clock(...steps: number[]) {
  let t = 1000;
  return () => (t += steps.shift() ?? 0);
}

describe('stage progress of report and demo', () => {
  test('on a terminal: one line per stage with the time since the start, then done', () => {
    const err = stream(true);
    const stages = stageProgress({ quiet: false, stream: err, now: clock(0, 0, 2500, 13100) });
    stages.stage('assessing');
    stages.stage('rendering PDF');
    stages.done();
    expect(err.lines).toEqual(['   0.0s  assessing…\n', '   2.5s  rendering PDF…\n', '  15.6s  done\n']);
  });

  test.each([
    ['stderr is not a terminal (logs, scripts, tests)', { quiet: false, isTTY: false }],
    ['--quiet is given, even on a terminal', { quiet: true, isTTY: true }],
  ])('nothing when %s', (_, { quiet, isTTY }) => {
    const err = stream(isTTY);
    const stages = stageProgress({ quiet, stream: err, now: clock() });
    stages.stage('assessing');
    stages.done();
    expect(err.lines).toEqual([]);
  });
});

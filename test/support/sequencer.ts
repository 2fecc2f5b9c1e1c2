/**
 * The order test files start in. Vitest starts files it has run before longest first; in a clean
 * clone it has no durations, and files it knows nothing of keep their glob order, so the browser
 * files (the longest, under test/) would start last and one worker would finish them alone. These
 * start first, longest first; the rest follow as Vitest orders them.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const FIRST = [
  'test/web-console.test.ts',
  'test/web-browser.test.ts',
  'test/cli.test.ts',
  'test/openapi-fuzz.test.ts',
  'test/command-socket.test.ts',
  'test/e2e.test.ts',
  // On the PostgreSQL pass only: clusters of their own, started and stopped.
  'test/federation.test.ts',
  'test/replica.test.ts',
];

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const i = FIRST.findIndex((suffix) => spec.moduleId.endsWith(suffix));
      return i < 0 ? FIRST.length : i;
    };
    return sorted
      .map((spec, index) => ({ spec, index }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.index - b.index)
      .map(({ spec }) => spec);
  }
}

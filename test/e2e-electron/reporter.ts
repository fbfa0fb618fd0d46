/**
 * A quiet reporter for the Electron suite: one line per test that ran, and each skip reason
 * once, so a machine without Electron prints exactly "skipped: no Electron binary".
 */
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

export default class ElectronSuiteReporter implements Reporter {
  private readonly skipReasons = new Set<string>();

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status === 'skipped') {
      const reason = test.annotations.find((annotation) => annotation.type === 'skip')?.description;
      this.skipReasons.add(reason ?? `skipped: ${test.title}`);
      return;
    }
    const ok = result.status === test.expectedStatus;
    console.log(`${ok ? 'ok' : 'FAILED'}  ${test.titlePath().slice(1).join(' › ')}`);
    if (!ok) for (const error of result.errors) console.log(error.message ?? error.value ?? '');
  }

  onEnd(_result: FullResult): void {
    for (const reason of this.skipReasons) console.log(reason);
  }

  printsToStdio(): boolean {
    return true;
  }
}

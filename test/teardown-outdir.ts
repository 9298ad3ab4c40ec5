import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Removes the cloud assembly folders the test workers wrote (test/setup-outdir.ts), and the empty output folders
 * cdk8s' `Testing.app()` makes for each test app (`cdk8s.outdir.*`) during this run.
 */
export default function teardown(): void {
  const started = Date.now() - process.uptime() * 1000;
  for (const entry of fs.readdirSync(os.tmpdir())) {
    const full = path.join(os.tmpdir(), entry);
    // Only folders made during this run: another jest run on the machine may still be writing its own.
    const ours = (entry.startsWith('cdk8s-spark-platform-tests-') || entry.startsWith('cdk8s.outdir.'))
      && fs.statSync(full).birthtimeMs >= started;
    if (ours) fs.rmSync(full, { recursive: true, force: true });
  }
}

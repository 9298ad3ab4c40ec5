// aws-cdk-lib writes a cloud assembly (with a copy of every asset, the 30 MB kubectl layer among them) to a new
// temporary folder for each App without an outdir. One folder per jest worker, reused: assets are named by their
// hash, so each is written once. test/teardown-outdir.ts removes them.
import * as os from 'os';
import * as path from 'path';

process.env.CDK_OUTDIR = path.join(os.tmpdir(), `cdk8s-spark-platform-tests-${process.pid}`);

import path from 'node:path';
import { runProcess, type ProcessResult } from './process';

export const BIN = path.join(__dirname, '..', '..', 'bin', 'auditpack.js');

export type CliResult = ProcessResult;

/**
 * The environment of a collect run: no AWS settings of the developer's leak in (profiles,
 * regions, endpoints, instance metadata), only what the test gives.
 */
export function awsEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  return {
    ...env,
    FORCE_COLOR: '0',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: path.join(__dirname, 'no-such-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(__dirname, 'no-such-aws-credentials'),
    ...extra,
  };
}

/**
 * Runs the compiled CLI without blocking this process: the fake AWS it talks to is served
 * from here. `npm test` builds dist/ first.
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CliResult> {
  return runProcess(process.execPath, [BIN, ...args], { cwd, env });
}

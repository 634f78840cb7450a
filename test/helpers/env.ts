import os from 'node:os';
import path from 'node:path';

// Tests must not see a catalog the developer imported into their own cache, nor leave one there:
// this folder does not exist, so the built-in index is the default unless a test imports one.
process.env.AUDITPACK_CACHE_DIR = path.join(os.tmpdir(), `auditpack-no-cache-${process.pid}`);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

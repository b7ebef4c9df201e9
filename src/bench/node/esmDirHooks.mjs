// Node module hooks for the benchmark: lets Node load TensorFlow.js's ESM build (dist/*.js of
// @tensorflow/tfjs-core), which uses extensionless and directory imports ('./gradients') that only
// bundlers resolve. Needed for one file: register_all_gradients, which the Node bundle (tf-core.node.js)
// leaves out; its kernels and gradients register into tfjs-core's global registries, shared by both builds.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const TFJS_DIST = '/@tensorflow/tfjs-core/dist/';

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL ?? '';
  if (parent.includes(TFJS_DIST) && specifier.startsWith('.') && !specifier.endsWith('.js')) {
    const base = new URL(specifier, parent);
    for (const candidate of [`${base.href}.js`, `${base.href}/index.js`]) {
      if (existsSync(fileURLToPath(candidate))) return { url: candidate, format: 'module', shortCircuit: true };
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (url.includes(TFJS_DIST) && url.endsWith('.js') && !url.endsWith('.node.js')) {
    return nextLoad(url, { ...context, format: 'module' });
  }
  return nextLoad(url, context);
}

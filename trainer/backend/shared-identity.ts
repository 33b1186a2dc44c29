/**
 * An Identity kernel for wasm that shares the input's memory instead of copying it, as the cpu
 * backend's does. TF.js clones every tensor it saves for the backward pass (engine
 * saveTensorsForBackwardMode), and on wasm each clone was a full copy: about 10% of a Q-Former
 * training step. Sharing is safe because no kernel writes into its inputs and a variable's assign
 * swaps in new memory rather than overwriting.
 */
import * as tf from '@tensorflow/tfjs';

interface RefCountingBackend {
  incRef(dataId: object): void;
}

export function registerSharedIdentity(): void {
  const copying = tf.getKernel('Identity', 'wasm');
  if (copying === undefined) return;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      if (x.dtype === 'string') return copying.kernelFunc(args) as tf.TensorInfo;
      (args.backend as unknown as RefCountingBackend).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}

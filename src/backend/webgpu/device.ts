// Adapter and device acquisition for the WebGPU backend.
// The GPU object is injected (navigator.gpu in a page or worker, the `webgpu` package's create([]) in Node):
// src/ never imports the Node binding, so the browser bundle stays free of it.

/** Limits the kernels in shaders/ rely on. Buffer sizes are asked for separately (DeviceRequirements). */
export const KERNEL_LIMITS = {
  maxStorageBuffersPerShaderStage: 8, // layernorm_backward binds 8
  maxComputeInvocationsPerWorkgroup: 64, // every kernel uses workgroup_size(64)
  maxComputeWorkgroupSizeX: 64,
  maxUniformBufferBindingSize: 256, // one uniform-ring slot
  maxDynamicUniformBuffersPerPipelineLayout: 1,
  maxComputeWorkgroupsPerDimension: 65535,
} as const;

/** Alignment limits where smaller is better: views sit at 256-byte offsets, uniform slots are 256 bytes. */
export const ALIGNMENT_LIMITS = {
  minStorageBufferOffsetAlignment: 256,
  minUniformBufferOffsetAlignment: 256,
} as const;

export interface DeviceRequirements {
  /** Largest single tensor (buffer) in bytes the caller will allocate. Default 128 MiB. */
  maxBufferBytes?: number;
}

/** What the adapter says about itself, for logs and the lab's "which GPU" line. */
export interface AdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  /** The limits the device was created with (the subset this backend cares about). */
  limits: Record<string, number>;
}

export interface AcquiredDevice {
  gpu: GPU;
  adapter: GPUAdapter;
  device: GPUDevice;
  report: AdapterReport;
}

/** Thrown when there is no usable WebGPU: no navigator.gpu, no adapter, or a limit that is too small. */
export class WebGpuUnavailableError extends Error {
  override readonly name = 'WebGpuUnavailableError';
}

const DEFAULT_BUFFER_BYTES = 128 * 1024 * 1024;

type LimitName = keyof typeof KERNEL_LIMITS | keyof typeof ALIGNMENT_LIMITS | 'maxStorageBufferBindingSize' | 'maxBufferSize';

function limitOf(limits: GPUSupportedLimits, name: LimitName): number {
  return limits[name];
}

function describe(report: Pick<AdapterReport, 'vendor' | 'architecture' | 'description'>): string {
  const parts = [report.vendor, report.architecture, report.description].filter((s) => s !== '');
  return parts.length > 0 ? parts.join(' / ') : 'unnamed adapter';
}

/**
 * Request an adapter and a device with the limits the kernels and the caller's largest buffer need.
 * Throws WebGpuUnavailableError with a human explanation (which limit, what was asked, what is offered).
 */
export async function acquireDevice(gpu: GPU | null | undefined, req: DeviceRequirements = {}): Promise<AcquiredDevice> {
  if (gpu === undefined || gpu === null) {
    throw new WebGpuUnavailableError(
      'WebGPU is not available: navigator.gpu is undefined. Use a browser with WebGPU enabled, served from ' +
        'https or http://localhost / 127.0.0.1 (about:blank and plain http hosts have no navigator.gpu); in ' +
        'Node pass the object returned by create([]) of the `webgpu` package.',
    );
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) {
    throw new WebGpuUnavailableError(
      'WebGPU: requestAdapter() returned null, there is no GPU adapter. Without a GPU, a software Vulkan ' +
        'driver can provide one: in Node export VK_ICD_FILENAMES pointing at SwiftShader\'s ' +
        'vk_swiftshader_icd.json (shipped with Chromium) before starting the process; in Chromium pass ' +
        '--enable-unsafe-webgpu.',
    );
  }
  const info = adapter.info;
  const base = {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: info.isFallbackAdapter ?? false,
  };

  const bufferBytes = Math.max(req.maxBufferBytes ?? DEFAULT_BUFFER_BYTES, 4);
  const wanted: [LimitName, number][] = [
    ...(Object.entries(KERNEL_LIMITS) as [LimitName, number][]),
    ['maxStorageBufferBindingSize', bufferBytes],
    ['maxBufferSize', bufferBytes],
  ];
  const requiredLimits: Record<string, number> = {};
  const problems: string[] = [];
  for (const [name, need] of wanted) {
    const offered = limitOf(adapter.limits, name);
    if (offered < need) problems.push(`${name}: asked for at least ${need}, the adapter offers ${offered}`);
    else requiredLimits[name] = need;
  }
  for (const [name, need] of Object.entries(ALIGNMENT_LIMITS) as [LimitName, number][]) {
    const offered = limitOf(adapter.limits, name);
    if (offered > need) problems.push(`${name}: need at most ${need} bytes, the adapter requires ${offered}`);
  }
  if (problems.length > 0) {
    throw new WebGpuUnavailableError(
      `WebGPU adapter "${describe(base)}" is too small for this backend: ${problems.join('; ')}.`,
    );
  }

  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredLimits, label: 'misstep' });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new WebGpuUnavailableError(`WebGPU: requestDevice failed on "${describe(base)}": ${why}`);
  }
  const limits: Record<string, number> = {};
  for (const [name] of [...wanted, ...Object.entries(ALIGNMENT_LIMITS)] as [LimitName, number][]) {
    limits[name] = limitOf(device.limits, name);
  }
  return { gpu, adapter, device, report: { ...base, limits } };
}

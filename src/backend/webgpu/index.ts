// The WebGPU backend's public surface. Callers pass the GPU object in (navigator.gpu, or the Node `webgpu`
// package's create([])): nothing here imports the Node binding.
export { createWebGpuBackend, WebGpuBackend, type WebGpuBackendOptions } from './webgpuBackend';
export type { DeviceLoss } from './core';
export { acquireDevice, WebGpuUnavailableError, type AdapterReport, type DeviceRequirements } from './device';

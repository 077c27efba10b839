package io.sparkfit.config;

/** {@code training.device}: where tasks run their networks. */
public enum Device {
  /** On the GPU Spark assigned the task when there is one and the CUDA backend is loaded; else the CPU. */
  AUTO,
  /** On the CPU; the CUDA jar is refused. */
  CPU,
  /** On the GPU Spark assigned each task; a node without the CUDA backend, or a task without a GPU, is refused. */
  GPU
}

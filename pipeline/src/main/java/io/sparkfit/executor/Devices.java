package io.sparkfit.executor;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.Device;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts each Spark task on the device it should use. Spark's GPU scheduling hands a task GPU
 * addresses ({@code spark.task.resource.gpu.amount}); a task binds ND4J's CUDA backend to the first
 * of them, so concurrent tasks on one executor use their own GPUs and no other. With ND4J's CPU
 * backend (the default jar) or no GPU given, tasks run on the CPU as before.
 */
public final class Devices {
  private static final Logger LOG = LoggerFactory.getLogger(Devices.class);
  private static final ThreadLocal<Integer> BOUND = new ThreadLocal<>();

  private Devices() {}

  /** Where a task runs: a GPU index, or the CPU (empty). */
  public record Binding(Optional<Integer> gpu, String host, String backend) implements Serializable {
    @Override
    public String toString() {
      return gpu.map(g -> "GPU " + g).orElse("CPU") + " on " + host + " (ND4J " + backend + ")";
    }
  }

  /**
   * The device a task uses, from what it asked for, the GPU addresses Spark gave it, and whether
   * ND4J's CUDA backend is loaded. Fails naming the node and the jar when {@code device} cannot be had.
   */
  public static Binding choose(Device device, List<String> gpus, boolean cuda, String backend, String host) {
    switch (device) {
      case GPU -> {
        InvalidInputException.check(
            cuda,
            "training.device = gpu, but node %s runs ND4J's %s: this is the CPU jar (build the CUDA jar with mvn -B -Pcuda package)",
            host,
            backend);
        InvalidInputException.check(
            !gpus.isEmpty(),
            "training.device = gpu, but Spark gave the task on node %s no GPU: set spark.executor.resource.gpu.amount, "
                + "spark.task.resource.gpu.amount and a discovery script (conf/gpu/)",
            host);
        return new Binding(Optional.of(address(gpus.get(0))), host, backend);
      }
      case CPU -> {
        InvalidInputException.check(
            !cuda,
            "training.device = cpu, but node %s runs ND4J's %s: use the CPU jar (the default build), or training.device = gpu",
            host,
            backend);
        return new Binding(Optional.empty(), host, backend);
      }
      default -> {
        return new Binding(cuda && !gpus.isEmpty() ? Optional.of(address(gpus.get(0))) : Optional.empty(), host, backend);
      }
    }
  }

  private static int address(String address) {
    try {
      return Integer.parseInt(address.trim());
    } catch (NumberFormatException e) {
      throw InvalidInputException.of("GPU address '%s' from Spark's discovery script is not a device index", address);
    }
  }

  /** Binds the current task thread as {@code training.device = auto} would; returns the binding. */
  public static Binding bindCurrentTask() {
    return bindCurrentTask(Device.AUTO);
  }

  /** Binds the current task thread to its device; logs the binding once per thread and device. */
  public static Binding bindCurrentTask(Device device) {
    Binding binding = choose(device, taskGpus(), cudaBackend(), backendName(), host());
    if (binding.gpu().isPresent()) {
      int gpu = binding.gpu().get();
      Integer bound = BOUND.get();
      if (bound == null || bound != gpu) {
        Nd4j.getAffinityManager().unsafeSetDevice(gpu);
        BOUND.set(gpu);
        TaskContext task = TaskContext.get();
        LOG.info("Task {} bound to {}", task == null ? "-" : task.taskAttemptId(), binding);
      }
    }
    return binding;
  }

  /**
   * Checks before training that every task slot can have {@code device}, with one small task per
   * slot: a wrong jar or a node without GPUs then fails in one line (exit 2), not in the middle of
   * an epoch. {@code auto} needs no check.
   */
  public static void preflight(JavaSparkContext sc, Device device, int tasks) {
    if (device == Device.AUTO) {
      return;
    }
    List<String> problems =
        sc.parallelize(java.util.stream.IntStream.range(0, tasks).boxed().toList(), tasks)
            .map(i -> {
              try {
                return "ok " + choose(device, taskGpus(), cudaBackend(), backendName(), host());
              } catch (InvalidInputException e) {
                return e.getMessage() + " [" + jar() + "]";
              } catch (RuntimeException | LinkageError e) {
                // The CUDA jar on a node without a driver or CUDA libraries: ND4J's backend fails to load.
                return String.format(
                    "training.device = %s, but node %s cannot load ND4J's backend from %s: %s",
                    device.name().toLowerCase(java.util.Locale.ROOT), host(), jar(), e);
              }
            })
            .collect();
    for (String result : problems) {
      InvalidInputException.check(result.startsWith("ok "), "%s", result);
    }
    LOG.info("training.device = {}: {}", device.name().toLowerCase(java.util.Locale.ROOT), problems.get(0).substring(3));
  }

  /** The jar Sparkfit runs from, for messages about the wrong one. */
  private static String jar() {
    try {
      return java.nio.file.Path.of(Devices.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName().toString();
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return "an unknown jar";
    }
  }

  private static List<String> taskGpus() {
    TaskContext task = TaskContext.get();
    if (task == null) {
      return List.of();
    }
    scala.Option<ResourceInformation> gpu = task.resources().get("gpu");
    return gpu.isDefined() ? List.of(gpu.get().addresses()) : List.of();
  }

  private static boolean cudaBackend() {
    return backendName().contains("JCublas") || backendName().toLowerCase(java.util.Locale.ROOT).contains("cuda");
  }

  private static String backendName() {
    return Nd4j.getBackend().getClass().getSimpleName();
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown host";
    }
  }
}

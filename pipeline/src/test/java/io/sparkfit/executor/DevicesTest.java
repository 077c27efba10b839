package io.sparkfit.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.Device;
import io.sparkfit.run.TrainingRun;
import io.sparkfit.testing.Repo;
import io.sparkfit.testing.SharedSparkSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.resource.ResourceInformation$;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPU support, checked on the CPU path (no GPU is available to CI): the discovery script's output as
 * Spark parses it, which device a task binds to, and clear failures for a wrong jar or a missing GPU.
 */
class DevicesTest extends SharedSparkSession {
  @TempDir Path tmp;

  /** Runs conf/gpu/discover-gpus.sh with a fake nvidia-smi that prints {@code indices}. */
  private String discover(String indices, String cudaVisibleDevices) throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path fake = bin.resolve("nvidia-smi");
    Files.writeString(fake, "#!/bin/sh\nprintf '" + indices + "'\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb = new ProcessBuilder("bash", Repo.root().resolve("conf/gpu/discover-gpus.sh").toString());
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    if (cudaVisibleDevices != null) {
      pb.environment().put("CUDA_VISIBLE_DEVICES", cudaVisibleDevices);
    } else {
      pb.environment().remove("CUDA_VISIBLE_DEVICES");
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    return out;
  }

  @Test
  void theDiscoveryScriptPrintsWhatSparkParses() throws Exception {
    ResourceInformation two = ResourceInformation$.MODULE$.parseJson(discover("0\\n1\\n", null));
    assertThat(two.name()).isEqualTo("gpu");
    assertThat(two.addresses()).containsExactly("0", "1");
    assertThat(ResourceInformation$.MODULE$.parseJson(discover(" 0\\n 1\\n 2\\n", "2,0")).addresses()).containsExactly("0", "2");
    assertThat(ResourceInformation$.MODULE$.parseJson(discover("", null)).addresses()).isEmpty();
  }

  @Test
  void aTaskBindsToTheGpuSparkGaveItOrRunsOnTheCpu() {
    assertThat(Devices.choose(Device.AUTO, List.of("3", "5"), true, "JCublasBackend", "n1").gpu()).contains(3);
    assertThat(Devices.choose(Device.GPU, List.of("1"), true, "JCublasBackend", "n1").gpu()).contains(1);
    assertThat(Devices.choose(Device.AUTO, List.of(), true, "JCublasBackend", "n1").gpu()).isEmpty();
    assertThat(Devices.choose(Device.AUTO, List.of("0"), false, "CpuBackend", "n1").gpu()).as("GPU given, CPU jar").isEmpty();
    assertThat(Devices.choose(Device.CPU, List.of("0"), false, "CpuBackend", "n1").gpu()).isEmpty();
    assertThat(Devices.bindCurrentTask()).isEqualTo(new Devices.Binding(Optional.empty(), Devices.bindCurrentTask().host(), "CpuBackend"));
  }

  @Test
  void aDeviceThatCannotBeHadIsRefusedNamingTheNodeAndTheJar() {
    assertThatThrownBy(() -> Devices.choose(Device.GPU, List.of("0"), false, "CpuBackend", "node-7"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("training.device = gpu, but node node-7 runs ND4J's CpuBackend: this is the CPU jar (build the CUDA jar with mvn -B -Pcuda package)");
    assertThatThrownBy(() -> Devices.choose(Device.GPU, List.of(), true, "JCublasBackend", "node-7"))
        .hasMessageStartingWith("training.device = gpu, but Spark gave the task on node node-7 no GPU");
    assertThatThrownBy(() -> Devices.choose(Device.CPU, List.of(), true, "JCublasBackend", "node-7"))
        .hasMessageStartingWith("training.device = cpu, but node node-7 runs ND4J's JCublasBackend");
  }

  @Test
  void trainingOnGpuWithTheCpuJarFailsBeforeTrainingAndWritesNothing() {
    Path out = tmp.resolve("model");
    var config =
        ConfigLoader.load(
            Repo.conf("quickstart.conf"),
            List.of("data.train=" + Repo.dataSamples().resolve("customers"), "output.dir=" + out, "training.device=gpu"));
    assertThatThrownBy(() -> TrainingRun.run(spark, config))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("training.device = gpu, but node ")
        .hasMessageContaining("runs ND4J's CpuBackend: this is the CPU jar");
    assertThat(out).doesNotExist();
    assertThatThrownBy(() -> ConfigLoader.load(Repo.conf("quickstart.conf"), List.of("training.device=tpu")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("training.device");
  }
}

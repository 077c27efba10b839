package io.sparkfit.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkfit.testing.SharedSparkSession;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

class Nd4jThreadsTest extends SharedSparkSession {

  /** In each task: the count applied, OpenMP's count in the task thread, and the BLAS limit. */
  private static List<List<Integer>> inTasks(int configured) {
    return sc.parallelize(List.of(1, 2, 3, 4), 4)
        .map(
            i -> {
              int applied = Nd4jThreads.forCurrentTask(configured);
              return List.of(
                  applied,
                  NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads(),
                  Nd4j.factory().blas().getMaxThreads());
            })
        .collect();
  }

  @Test
  void followsSparkTaskCpusByDefault() {
    // local[2] runs one cpu per task.
    assertThat(inTasks(0)).containsOnly(List.of(1, 1, 1));
  }

  @Test
  void anExplicitCountOverrides() {
    assertThat(inTasks(2)).containsOnly(List.of(2, 2, 2));
  }
}

package io.sparkfit.train;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.TrainingConfig;
import io.sparkfit.nd4j.PackedMinibatch;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import io.sparkfit.model.Network;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** Creates the trainer a config asks for. */
public final class Trainers {
  private static final long SLOT_POLL_MS = 500;

  private Trainers() {}

  /**
   * A trainer for {@code network} over {@code minibatches}, which it fits once per epoch.
   *
   * @param seed drives each epoch's randomness (dropout) in Sparkfit's engine, and how DL4J's splits the data
   */
  public static Trainer create(
      JavaSparkContext sc, Network network, JavaRDD<MultiDataSet> minibatches, TrainingConfig config, long seed) {
    return create(sc, network, minibatches, Optional.empty(), config, seed);
  }

  /**
   * As {@link #create(JavaSparkContext, Network, JavaRDD, TrainingConfig, long)}, with validation
   * minibatches for an engine that scores them inside its training stage ({@link #validatesInStage}).
   */
  public static Trainer create(
      JavaSparkContext sc,
      Network network,
      JavaRDD<MultiDataSet> minibatches,
      Optional<JavaRDD<PackedMinibatch>> validation,
      TrainingConfig config,
      long seed) {
    return switch (config.engine()) {
      case AVERAGING -> new AveragingTrainer(sc, network, minibatches, validation, config, seed);
      case DL4J -> Dl4jEngine.inThisBuild()
          .orElseThrow(() -> InvalidInputException.of(TrainingConfig.Engine.DL4J_NOT_IN_THIS_BUILD))
          .create(
          sc,
          network
              .asMultiLayer()
              .orElseThrow(
                  () -> InvalidInputException.of(
                      "Invalid training.engine: dl4j (DL4J's Spark engine trains MultiLayerNetworks only, and this network "
                          + "is a ComputationGraph, from model.embeddings or model.dl4j-configuration; use training.engine = averaging)")),
          minibatches,
          config,
          seed);
    };
  }

  /** Whether {@code config}'s engine scores validation inside its training stage: Sparkfit's does, DL4J's does not. */
  public static boolean validatesInStage(TrainingConfig config) {
    return config.engine() == TrainingConfig.Engine.AVERAGING;
  }

  /**
   * How many workers train: {@code training.workers}, or for Sparkfit's engine as many as can run at
   * once (a barrier stage needs a free slot for every task), for DL4J's Spark's default parallelism.
   * For Sparkfit's, the default parallelism is no guide (on a cluster it is at least 2 even with one
   * core), so this asks the scheduler for its slots, a Spark-internal call that is public in bytecode.
   */
  public static int workers(JavaSparkContext sc, TrainingConfig config) {
    if (config.workers() > 0) {
      return config.workers();
    }
    if (config.engine() == TrainingConfig.Engine.DL4J) {
      return sc.defaultParallelism();
    }
    int slots = slots(sc);
    if (slots > 0) {
      return slots;
    }
    int taskCpus = Math.max(1, sc.getConf().getInt("spark.task.cpus", 1));
    return Math.max(1, sc.defaultParallelism() / taskCpus);
  }

  /**
   * Waits until the executors have the task slots training needs at once: one for each of
   * {@code training.workers} under Sparkfit's engine, whose epochs are barrier stages, else one; for
   * as long as Spark itself waits for executors to register
   * ({@code spark.scheduler.maxRegisteredResourcesWaitingTime}, 30 s by default), then fails in one
   * line before any data is read. Left to Spark, a job without executors waits for ever, and a
   * barrier stage with too few slots retries its check for 10 minutes (40 x 15 s) before failing;
   * on YARN, a queue too small for the executors never grants the missing ones.
   */
  public static void awaitSlots(JavaSparkContext sc, TrainingConfig config) {
    if (config.engine() == TrainingConfig.Engine.AVERAGING) {
      // Barrier stages and dynamic allocation exclude each other: say that, not that slots are missing.
      AveragingTrainer.refuseDynamicAllocation(sc.getConf());
    } else if (sc.getConf().getBoolean("spark.dynamicAllocation.enabled", false)) {
      // Executors come when tasks wait for them: there is nothing to wait for before the first job.
      return;
    }
    boolean barrier = config.engine() == TrainingConfig.Engine.AVERAGING && config.workers() > 0;
    int needed = barrier ? config.workers() : 1;
    long waitMs = sc.getConf().getTimeAsMs("spark.scheduler.maxRegisteredResourcesWaitingTime", "30s");
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
    int slots = slots(sc);
    while (slots < needed && !sc.isLocal() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(SLOT_POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for executors", e);
      }
      slots = slots(sc);
    }
    long waited = sc.isLocal() ? 0 : TimeUnit.MILLISECONDS.toSeconds(waitMs);
    InvalidInputException.check(
        !barrier || slots >= needed,
        "Invalid training.workers: %d (each epoch is a barrier stage that needs %d task slots at once, but the executors "
            + "have %d after %d s, spark.scheduler.maxRegisteredResourcesWaitingTime: give Spark more executors or cores "
            + "- on YARN, a queue with room for all of them - or lower training.workers)",
        needed,
        needed,
        slots,
        waited);
    InvalidInputException.check(
        slots >= needed,
        "No executor registered within %d s (spark.scheduler.maxRegisteredResourcesWaitingTime): training needs at least "
            + "one task slot - on YARN, a queue with room for an executor beside the application master",
        waited);
  }

  /** Task slots the executors have now: the barrier scheduler's own count. */
  private static int slots(JavaSparkContext sc) {
    SparkContext context = sc.sc();
    return context.maxNumConcurrentTasks(context.resourceProfileManager().defaultResourceProfile());
  }
}

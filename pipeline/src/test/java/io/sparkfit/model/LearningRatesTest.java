package io.sparkfit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sparkfit.InvalidInputException;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.CycleSchedule;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/** A user's network scaled like a built one: every updater's rate and schedule, read back by DL4J itself. */
class LearningRatesTest {
  /** Three layers: Adam at a fixed rate (the default), Sgd on a step schedule, and a layer with a Nesterovs bias updater. */
  private static MultiLayerConfiguration stack() {
    return new NeuralNetConfiguration.Builder()
        .updater(new Adam(0.001))
        .list()
        .layer(new DenseLayer.Builder().nIn(4).nOut(3).build())
        .layer(new DenseLayer.Builder().nIn(3).nOut(3).updater(new Sgd(new StepSchedule(ScheduleType.EPOCH, 0.1, 0.5, 2))).build())
        .layer(new OutputLayer.Builder().nIn(3).nOut(2).biasUpdater(new Nesterovs(0.02, 0.9)).build())
        .build();
  }

  private static IUpdater updater(MultiLayerConfiguration conf, int layer) {
    return ((BaseLayer) conf.getConf(layer).getLayer()).getIUpdater();
  }

  @Test
  void everyUpdaterAndScheduleIsScaledAndDl4jReadsItBack() {
    LearningRates.Changed changed = LearningRates.scaled(stack().toJson(), 4, "net.json");
    MultiLayerConfiguration read = MultiLayerConfiguration.fromJson(changed.json());
    assertThat(updater(read, 0).getLearningRate(0, 0)).isCloseTo(0.004, within(1e-12));
    assertThat(updater(read, 1).getLearningRate(0, 0)).isCloseTo(0.4, within(1e-12));
    assertThat(updater(read, 1).getLearningRate(0, 2)).as("the schedule goes on, scaled").isCloseTo(0.2, within(1e-12));
    assertThat(((BaseLayer) read.getConf(2).getLayer()).getBiasUpdater().getLearningRate(0, 0)).isCloseTo(0.08, within(1e-12));
    assertThat(changed.rates()).contains("Adam 0.004000", "Nesterovs 0.08000", "Sgd schedule StepSchedule from 0.4000");
  }

  @Test
  void aGraphsUpdatersAreScaledToo() {
    ComputationGraphConfiguration graph =
        new NeuralNetConfiguration.Builder()
            .updater(new Adam(new ExponentialSchedule(ScheduleType.EPOCH, 0.003, 0.9)))
            .graphBuilder()
            .addInputs("in")
            .addLayer("hidden", new DenseLayer.Builder().nIn(4).nOut(3).build(), "in")
            .addLayer("out", new OutputLayer.Builder().nIn(3).nOut(2).build(), "hidden")
            .setOutputs("out")
            .build();
    ComputationGraphConfiguration read = ComputationGraphConfiguration.fromJson(LearningRates.scaled(graph.toJson(), 2, "g.json").json());
    IUpdater hidden = ((BaseLayer) ((org.deeplearning4j.nn.conf.graph.LayerVertex) read.getVertices().get("hidden")).getLayerConf().getLayer()).getIUpdater();
    assertThat(hidden.getLearningRate(0, 0)).isCloseTo(0.006, within(1e-12));
    assertThat(hidden.getLearningRate(0, 1)).isCloseTo(0.0054, within(1e-12));
  }

  @Test
  void aWarmUpRampsFromTheOneWorkerRateOverEpochsAndTheScheduleGoesOnAfter() {
    String scaled = LearningRates.scaled(stack().toJson(), 4, "net.json").json();
    LearningRates.Changed warmed = LearningRates.warmedUp(scaled, 0.25, 2, 6, "net.json");
    MultiLayerConfiguration read = MultiLayerConfiguration.fromJson(warmed.json());
    // Adam: 0.004 scaled; epoch 0 at a quarter (the one-worker rate), epoch 1 halfway, from epoch 2 on all of it.
    IUpdater adam = updater(read, 0);
    assertThat(adam.getLearningRate(0, 0)).isCloseTo(0.001, within(1e-12));
    assertThat(adam.getLearningRate(0, 1)).isCloseTo(0.0025, within(1e-12));
    assertThat(adam.getLearningRate(0, 2)).isCloseTo(0.004, within(1e-12));
    assertThat(adam.getLearningRate(0, 9)).isCloseTo(0.004, within(1e-12));
    // Sgd's step schedule (0.4, halved every 2 epochs) under the ramp, then on its own.
    IUpdater sgd = updater(read, 1);
    assertThat(sgd.getLearningRate(0, 0)).isCloseTo(0.1, within(1e-12));
    assertThat(sgd.getLearningRate(0, 1)).isCloseTo(0.4 * 0.625, within(1e-12));
    assertThat(sgd.getLearningRate(0, 2)).isCloseTo(0.2, within(1e-12));
    assertThat(sgd.getLearningRate(0, 4)).isCloseTo(0.1, within(1e-12));
    assertThat(warmed.rates()).contains("Adam by epoch 0.001000, 0.002500, 0.004000");
  }

  @Test
  void updatersWithoutARateStayAndSchedulesItCannotReadAreRefused() {
    MultiLayerConfiguration adaDelta =
        new NeuralNetConfiguration.Builder().updater(new AdaDelta()).list().layer(new OutputLayer.Builder().nIn(3).nOut(2).build()).build();
    assertThat(MultiLayerConfiguration.fromJson(LearningRates.scaled(adaDelta.toJson(), 2, "n").json())).isEqualTo(adaDelta);

    MultiLayerConfiguration byIteration =
        new NeuralNetConfiguration.Builder()
            .updater(new Adam(new StepSchedule(ScheduleType.ITERATION, 0.01, 0.5, 100)))
            .list()
            .layer(new OutputLayer.Builder().nIn(3).nOut(2).build())
            .build();
    assertThatThrownBy(() -> LearningRates.warmedUp(byIteration.toJson(), 0.5, 1, 5, "model.dl4j-configuration net.json"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("model.dl4j-configuration net.json has a learning-rate schedule by iteration (org.nd4j.linalg.schedule.StepSchedule at $.");

    MultiLayerConfiguration cycle =
        new NeuralNetConfiguration.Builder()
            .updater(new Sgd(new CycleSchedule(ScheduleType.ITERATION, 0.01, 0.1, 100, 10, 0.1)))
            .list()
            .layer(new OutputLayer.Builder().nIn(3).nOut(2).build())
            .build();
    MultiLayerConfiguration cycled = MultiLayerConfiguration.fromJson(LearningRates.scaled(cycle.toJson(), 2, "n").json());
    assertThat(updater(cycled, 0).getLearningRate(0, 0)).isCloseTo(2 * updater(cycle, 0).getLearningRate(0, 0), within(1e-12));
  }
}

package io.sparkfit.score;

import io.sparkfit.inputs.ModelInputs;
import io.sparkfit.model.TrainedModel;
import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A trained model as it travels to the executors, in one broadcast: layers, parameters and inputs. */
record ScoringModel(String configuration, INDArray parameters, ModelInputs inputs) implements Serializable {

  static ScoringModel of(TrainedModel model) {
    return new ScoringModel(model.network().configurationJson(), model.network().params().dup(), model.inputs());
  }
}

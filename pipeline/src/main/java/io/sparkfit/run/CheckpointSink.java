package io.sparkfit.run;

import io.sparkfit.model.TrainedModel;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where a training run saves its end-of-epoch state; {@link #none()} for runs that cannot resume (Spark ML fits). */
public interface CheckpointSink {

  void save(int epoch, TrainedModel model, Optional<TrainedModel> best, List<Map<String, Object>> history, EarlyStoppingState earlyStopping);

  static CheckpointSink none() {
    return (epoch, model, best, history, earlyStopping) -> {};
  }
}

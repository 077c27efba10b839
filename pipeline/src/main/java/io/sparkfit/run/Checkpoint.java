package io.sparkfit.run;

import io.sparkfit.model.TrainedModel;
import java.util.Optional;

/**
 * A run's state at the end of an epoch, from which it can go on: the model with its updater state,
 * the best model so far under early stopping when that is another epoch's, the metrics history and
 * the early-stopping state. The random state needs no saving: each epoch's randomness derives from
 * {@code model.seed} and the epoch.
 *
 * @param best the best model so far, when it is not {@code model}
 */
record Checkpoint(
    int epoch, TrainedModel model, Optional<TrainedModel> best, TrainingHistory history, EarlyStoppingState earlyStopping) {}

package io.sparkfit.run;

/** Where a training run saves its end-of-epoch state; {@link #none()} for runs that cannot resume (Spark ML fits). */
interface CheckpointSink {

  void save(Checkpoint checkpoint);

  static CheckpointSink none() {
    return checkpoint -> {};
  }
}

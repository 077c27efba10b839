package io.sparkfit.run;

import java.util.List;

/** What a finished training run wrote and measured. */
public record TrainingSummary(String outputDir, List<EpochResult> epochs) {}

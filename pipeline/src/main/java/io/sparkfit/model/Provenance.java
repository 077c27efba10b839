package io.sparkfit.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.sparkfit.inputs.ColumnSummary;
import io.sparkfit.inputs.DriftReference;
import java.util.List;
import java.util.Map;

/**
 * Where a model came from. It travels inside {@code model.zip} (so a copied model, or one saved in a
 * Spark ML pipeline, can still say where it came from) and is also written beside it as
 * {@code provenance.json}: the resolved config (secrets masked), the inputs with their row counts,
 * what the model is, the versions that built and ran it, the Spark application, the git commit of
 * the build when known, and when it ran.
 *
 * @param config the resolved config as JSON
 * @param inputs per input key ({@code data.train}, {@code data.validation}): path and row counts
 * @param dataProfile each feature column of the training rows: kind, missing values, statistics or
 *     vocabulary (null in models saved before Sparkfit recorded it)
 * @param model what was trained
 * @param versions library versions, at build time and at run time
 * @param gitCommit the commit Sparkfit was built from ({@code -dirty} with local changes); null when unknown
 * @param driftReference the training data's schema and distributions, which a later run's drift
 *     check compares its data with ({@code guard.drift}); null in models saved before Sparkfit recorded it
 */
public record Provenance(
    JsonNode config,
    Map<String, Input> inputs,
    @JsonProperty("data-profile") List<ColumnSummary> dataProfile,
    ModelSummary model,
    Map<String, String> versions,
    String gitCommit,
    String sparkAppId,
    String sparkMaster,
    String started,
    String finished,
    @JsonProperty("drift-reference") @JsonInclude(JsonInclude.Include.NON_NULL) DriftReference driftReference) {

  /** This provenance without its drift reference: for pages people read, where its bucket counts are noise. */
  public Provenance withoutDriftReference() {
    return new Provenance(config, inputs, dataProfile, model, versions, gitCommit, sparkAppId, sparkMaster, started, finished, null);
  }

  /**
   * One input and what came of its rows.
   *
   * @param splitFraction for a validation split off the training data, its fraction (else null)
   * @param splitSeed for a validation split, its seed (else null)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Input(
      String path,
      long rows,
      long dropped,
      long used,
      @JsonProperty("split-fraction") Double splitFraction,
      @JsonProperty("split-seed") Long splitSeed) {}

  /**
   * What was trained: task, feature columns and the network inputs they make, label index, scaling, size, and the weight of each class in the
   * loss when {@code training.class-weights} set them (else null).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ModelSummary(
      String task,
      @JsonProperty("feature-columns") List<String> featureColumns,
      Integer inputs,
      @JsonProperty("label-index") List<Object> labelIndex,
      String normalize,
      long parameters,
      @JsonProperty("class-weights") Map<String, Double> classWeights) {}
}

package io.sparkfit.ml;

import io.sparkfit.testing.SparkTied;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkfit.testing.Repo;
import io.sparkfit.testing.SharedSparkSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Sparkfit stage in a Spark ML pipeline: fits, transforms, saves and loads like any other. */
@SparkTied
class SparkfitPipelineTest extends SharedSparkSession {
  @TempDir Path tmp;

  private static final String CONFIG =
      """
      model { layers = [ { type = dense, units = 16, activation = relu } ], updater { type = adam, learning-rate = 0.02 } }
      training { epochs = 12, batch-size-per-worker = 32 }   # one worker (auto: a light network), no validation to stop on
      data { validation-fraction = 0 }
      """;

  @Test
  void aPipelineFitsTransformsSavesAndLoads() throws IOException {
    Dataset<Row> customers = spark.read().parquet(Repo.dataSamples().resolve("customers").toString());
    VectorAssembler assembler =
        new VectorAssembler()
            .setInputCols(new String[] {"age", "income", "visits_per_month", "avg_basket", "tenure_days"})
            .setOutputCol("features");
    SparkfitEstimator estimator = new SparkfitEstimator().setLabelCol("segment").setConfig(CONFIG);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {assembler, estimator});

    PipelineModel fitted = pipeline.fit(customers);
    Dataset<Row> scored = fitted.transform(customers);
    assertThat(scored.columns()).endsWith("features", "prediction", "probability");
    assertThat(scored.count()).isEqualTo(customers.count());
    double accuracy =
        scored.agg(functions.avg(functions.when(functions.col("prediction").equalTo(functions.col("segment")), 1.0).otherwise(0.0)))
            .first()
            .getDouble(0);
    // The customers' segments overlap: about 90% is what the data allows; well above chance (1/3).
    assertThat(accuracy).isGreaterThan(0.8);

    String path = tmp.resolve("pipeline").toString();
    fitted.write().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    assertThat(loaded.stages()[1]).isInstanceOf(SparkfitModel.class);
    assertThat(((SparkfitModel) loaded.stages()[1]).getOrDefault(((SparkfitModel) loaded.stages()[1]).labelCol())).isEqualTo("segment");
    // The fit's provenance travels with the saved model.
    SparkfitModel fittedStage = (SparkfitModel) fitted.stages()[1];
    assertThat(fittedStage.provenance()).isPresent();
    assertThat(fittedStage.provenance().get().sparkAppId()).isEqualTo(spark.sparkContext().applicationId());
    assertThat(fittedStage.provenance().get().inputs()).containsKey("data.train");
    assertThat(((SparkfitModel) loaded.stages()[1]).provenance()).isEqualTo(fittedStage.provenance());
    List<Row> before = scored.select("id", "prediction", "probability").orderBy("id").collectAsList();
    List<Row> after = loaded.transform(customers).select("id", "prediction", "probability").orderBy("id").collectAsList();
    assertThat(after).isEqualTo(before);

    String unfitted = tmp.resolve("unfitted").toString();
    pipeline.write().save(unfitted);
    SparkfitEstimator reloaded = (SparkfitEstimator) Pipeline.load(unfitted).getStages()[1];
    assertThat(reloaded.getOrDefault(reloaded.config())).isEqualTo(CONFIG);
    assertThat(reloaded.uid()).isEqualTo(estimator.uid());
  }

  @Test
  void aMissingColumnOrABadConfigIsNamedBeforeTraining() {
    Dataset<Row> customers = spark.read().parquet(Repo.dataSamples().resolve("customers").toString());
    assertThatThrownBy(() -> new SparkfitEstimator().setFeaturesCol("age").setLabelCol("tier").fit(customers))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("labelCol 'tier' is not a column");
    assertThatThrownBy(() -> new SparkfitEstimator().setFeaturesCol("age").setLabelCol("segment").setConfig("training.epochs = 0").fit(customers))
        .hasMessage("Invalid training.epochs: 0 (must be > 0)");
  }

  @Test
  void theEstimatorTrainsAUsersDl4jConfigurationGivenInCode() {
    Dataset<Row> orders = spark.read().parquet(Repo.dataSamples().resolve("orders/train").toString());
    SparkfitEstimator estimator =
        new SparkfitEstimator()
            .setLabelCol("returned")
            .setConfig(
                "data.features = [{column = merchant, max-categories = 300}, category, amount, hour]\n"
                    + "training.epochs = 1\nmetrics.mode = fast\ndata.validation-fraction = 0")
            .setNetwork(io.sparkfit.testing.ExampleNetworks.ordersGraph());
    SparkfitModel model = estimator.fit(orders);
    assertThat(model.transform(orders).count()).isEqualTo(orders.count());
    assertThat(model.trainedModel().layout().names()).containsExactly("merchant", "features");
    assertThatThrownBy(
            () -> estimator.setConfig("data.features = [merchant, category, amount, hour]\ntraining.epochs = 1").fit(orders))
        .hasMessageContaining("input 'merchant' feeds an embedding of 302 values");
  }
}

package io.sparkfit.testing;

import io.sparkfit.inputs.InputLayout;
import io.sparkfit.data.TrainingData;
import io.sparkfit.model.NetworkFactory;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** Minibatches of single-input networks as DataSets, the form DL4J's own fit takes, for comparisons in tests. */
public final class Batches {
  private Batches() {}

  /** One network input taking every feature column, as a layer stack built from config has. */
  public static InputLayout single(TrainingData data) {
    return InputLayout.single(data.featureSpec(), NetworkFactory.FEATURES_INPUT);
  }

  public static DataSet dataSet(MultiDataSet m) {
    return io.sparkfit.model.Network.singleInput(m);
  }

  public static List<DataSet> dataSets(JavaRDD<MultiDataSet> batches) {
    return batches.collect().stream().map(Batches::dataSet).toList();
  }

  public static List<MultiDataSet> multi(List<DataSet> batches) {
    return batches.stream().<MultiDataSet>map(b -> new org.nd4j.linalg.dataset.MultiDataSet(
        b.getFeatures(), b.getLabels(), b.getFeaturesMaskArray(), b.getLabelsMaskArray())).toList();
  }
}

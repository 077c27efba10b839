package io.sparkfit.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded generators of learnable data, shared by the tests and by the files in {@code data-samples/}.
 * Pure Java: the Spark side is {@link SampleTables}.
 */
public final class SyntheticData {
  private SyntheticData() {}

  /** Labelled points: features in standard units, and a class index. */
  public record Points(double[][] features, int[] labels) {
    /** The points as DL4J minibatches of up to {@code batch} examples, with one-hot labels over {@code classes}. */
    public List<DataSet> minibatches(int batch, int classes) {
      List<DataSet> batches = new ArrayList<>();
      for (int start = 0; start < size(); start += batch) {
        int n = Math.min(batch, size() - start);
        INDArray x =
            Nd4j.create(Arrays.copyOfRange(features, start, start + n))
                .castTo(Nd4j.defaultFloatingPointType());
        INDArray y = Nd4j.zeros(n, classes);
        for (int i = 0; i < n; i++) {
          y.putScalar(i, labels[start + i], 1);
        }
        batches.add(new DataSet(x, y));
      }
      return batches;
    }

    public int size() {
      return labels.length;
    }
  }

  /**
   * Gaussian clusters, one per class, with centres drawn at {@code separation} standard deviations
   * apart on average: separation 3 gives about 90-95% attainable accuracy for a few classes.
   */
  public static Points clusters(long seed, int rows, int classes, int width, double separation) {
    Random random = new Random(seed);
    double[][] centres = new double[classes][width];
    for (double[] centre : centres) {
      for (int j = 0; j < width; j++) {
        centre[j] = random.nextGaussian() * separation / Math.sqrt(2);
      }
    }
    double[][] features = new double[rows][width];
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      int label = random.nextInt(classes);
      labels[i] = label;
      for (int j = 0; j < width; j++) {
        features[i][j] = centres[label][j] + random.nextGaussian();
      }
    }
    return new Points(features, labels);
  }

  /** Rescales each feature column: {@code x * scale[j] + offset[j]}, to make unscaled, real-looking units. */
  public static double[][] rescale(double[][] features, double[] scale, double[] offset) {
    double[][] out = new double[features.length][];
    for (int i = 0; i < features.length; i++) {
      out[i] = new double[features[i].length];
      for (int j = 0; j < features[i].length; j++) {
        out[i][j] = features[i][j] * scale[j] + offset[j];
      }
    }
    return out;
  }

  /** A regression target with a linear part, a mild non-linearity and noise. */
  public record Targets(double[][] features, double[] targets) {}

  public static Targets regression(long seed, int rows, int width, double noise) {
    Random random = new Random(seed);
    double[] weights = new double[width];
    for (int j = 0; j < width; j++) {
      weights[j] = random.nextGaussian();
    }
    double[][] features = new double[rows][width];
    double[] targets = new double[rows];
    for (int i = 0; i < rows; i++) {
      double y = 0;
      for (int j = 0; j < width; j++) {
        features[i][j] = random.nextGaussian();
        y += weights[j] * features[i][j];
      }
      y += 0.5 * Math.tanh(features[i][0] * features[i][width > 1 ? 1 : 0]);
      targets[i] = y + noise * random.nextGaussian();
    }
    return new Targets(features, targets);
  }

  /** {@code count} distinct names for classes: {@code class-0}, {@code class-1}, ... */
  public static List<String> classNames(int count) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add("class-" + i);
    }
    return names;
  }
}

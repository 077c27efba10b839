package io.sparkfit.metrics;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;

/**
 * AUC-ROC and AUC-PR from threshold histograms: for each scored class, counts of positive and of
 * negative examples per score bin. Histograms merge by addition, so AUC over any split of the data is
 * exact up to the bin width; ties within a bin count half, as in the exact AUC.
 *
 * <p>Bins are uniform in the logit of the probability, over {@code [-LOGIT_RANGE, LOGIT_RANGE]}: a
 * confident classifier puts most scores within 0.001 of 0 or 1, where uniform bins in probability
 * would lump them together. With 1,000 bins the AUC stays within 1e-3 of the exact value.
 *
 * <p>A minibatch's state is a short list of (bin, class) events rather than dense histograms, and
 * merged states stay lists until they hold a quarter as many events as there are cells; Java
 * serialization writes events or only the non-empty bins. So a task's state stays small and cheap.
 */
public final class AucState implements MetricState, CurveAreas {
  private static final long serialVersionUID = 1L;
  /** Scores beyond this logit (probability within about 3e-7 of 0 or 1) share the end bins. */
  static final double LOGIT_RANGE = 15.0;
  public static final int DEFAULT_BINS = 1000;

  private final int bins;
  /** The classes whose probability is scored: {1} for binary, all classes one-vs-rest otherwise. */
  private final int[] scoredClasses;
  /** Dense histograms, {@code [scored class][bin]}; null while the state is still a list of events. */
  private transient long[][] positives;
  private transient long[][] negatives;
  /**
   * A minibatch's examples as events {@code (scored index * bins + bin) * 2 + (1 if positive)}: a few
   * hundred ints instead of two dense histograms per minibatch. States stay sparse while they are
   * small and turn dense when merged past {@link #denseFrom()} events.
   */
  private transient int[] events;
  private transient int eventCount;

  private AucState(int bins, int[] scoredClasses, long[][] positives, long[][] negatives) {
    this.bins = bins;
    this.scoredClasses = scoredClasses;
    this.positives = positives;
    this.negatives = negatives;
  }

  private AucState(int bins, int[] scoredClasses, int[] events, int eventCount) {
    this.bins = bins;
    this.scoredClasses = scoredClasses;
    this.events = events;
    this.eventCount = eventCount;
  }

  private int denseFrom() {
    return scoredClasses.length * bins / 4;
  }

  private boolean isSparse() {
    return positives == null;
  }

  /** The dense histograms of this state (made once, for a sparse state). */
  private synchronized void densify() {
    if (!isSparse()) {
      return;
    }
    long[][] p = new long[scoredClasses.length][bins];
    long[][] n = new long[scoredClasses.length][bins];
    addEvents(p, n, events, eventCount);
    positives = p;
    negatives = n;
    events = null;
    eventCount = 0;
  }

  private void addEvents(long[][] p, long[][] n, int[] list, int count) {
    for (int i = 0; i < count; i++) {
      int e = list[i];
      int cell = e >>> 1;
      int s = cell / bins;
      int b = cell % bins;
      if ((e & 1) == 1) {
        p[s][b]++;
      } else {
        n[s][b]++;
      }
    }
  }

  /**
   * An empty state for {@code classes} classes: for two, class 1 is the positive class (as
   * scikit-learn scores a binary problem); for more, every class against the rest.
   */
  public static AucState empty(int classes, int bins) {
    return new AucState(bins, scoredClasses(classes, bins), new int[16], 0);
  }

  /**
   * The classes a histogram of {@code bins} bins scores for {@code classes} classes (shared with
   * {@link WeightedAucState}): class 1 of two, else every class; the bins are checked.
   */
  static int[] scoredClasses(int classes, int bins) {
    if (bins < 2) {
      throw new IllegalArgumentException("Invalid metrics.auc-bins: " + bins + " (must be >= 2)");
    }
    return classes == 2 ? new int[] {1} : java.util.stream.IntStream.range(0, classes).toArray();
  }

  /**
   * Adds one example: its class probabilities and its actual class. Only for a state not yet shared
   * (the champion/challenger comparison fills one per partition, as the evaluator does).
   */
  public AucState add(float[] probabilities, int actual) {
    return add(probabilities, 0, actual);
  }

  /** Adds one example whose class probabilities start at {@code offset}. */
  AucState add(float[] probabilities, int offset, int actual) {
    for (int s = 0; s < scoredClasses.length; s++) {
      int c = scoredClasses[s];
      int bin = bin(probabilities[offset + c]);
      if (isSparse()) {
        if (eventCount == events.length) {
          events = Arrays.copyOf(events, events.length * 2);
        }
        events[eventCount++] = (s * bins + bin) * 2 + (actual == c ? 1 : 0);
      } else if (actual == c) {
        positives[s][bin]++;
      } else {
        negatives[s][bin]++;
      }
    }
    return this;
  }

  int bin(double probability) {
    return bin(probability, bins);
  }

  /** The bin of {@code probability} among {@code bins} uniform in its logit (shared with {@link WeightedAucState}). */
  static int bin(double probability, int bins) {
    double p = Math.min(Math.max(probability, 1e-15), 1 - 1e-15);
    double logit = Math.log(p / (1 - p));
    int b = (int) Math.floor((logit + LOGIT_RANGE) / (2 * LOGIT_RANGE) * bins);
    return Math.min(Math.max(b, 0), bins - 1);
  }

  @Override
  public int bins() {
    return bins;
  }

  @Override
  public AucState merge(MetricState other) {
    AucState o = (AucState) other;
    if (o.bins != bins || !Arrays.equals(o.scoredClasses, scoredClasses)) {
      throw new IllegalArgumentException("Cannot merge AUC histograms of different shapes");
    }
    if (isSparse() && o.isSparse() && eventCount + o.eventCount <= denseFrom()) {
      int[] both = Arrays.copyOf(events, eventCount + o.eventCount);
      System.arraycopy(o.events, 0, both, eventCount, o.eventCount);
      return new AucState(bins, scoredClasses, both, both.length);
    }
    long[][] p = new long[scoredClasses.length][bins];
    long[][] n = new long[scoredClasses.length][bins];
    for (AucState part : new AucState[] {this, o}) {
      if (part.isSparse()) {
        addEvents(p, n, part.events, part.eventCount);
      } else {
        for (int s = 0; s < scoredClasses.length; s++) {
          for (int b = 0; b < bins; b++) {
            p[s][b] += part.positives[s][b];
            n[s][b] += part.negatives[s][b];
          }
        }
      }
    }
    return new AucState(bins, scoredClasses, p, n);
  }

  @Override
  public long count() {
    if (isSparse()) {
      long n = 0;
      for (int i = 0; i < eventCount; i++) {
        if ((events[i] >>> 1) / bins == 0) {
          n++;
        }
      }
      return n;
    }
    return Arrays.stream(positives[0]).sum() + Arrays.stream(negatives[0]).sum();
  }

  /** AUC-ROC: of the positive class for two classes, else the macro average one-vs-rest. */
  @Override
  public double rocAuc() {
    return macro(true);
  }

  /** AUC-PR (trapezoidal, as Spark's BinaryClassificationMetrics): as {@link #rocAuc()}. */
  @Override
  public double prAuc() {
    return macro(false);
  }

  /** AUC-ROC of one class against the rest; NaN without both positives and negatives. */
  @Override
  public double rocAuc(int classIndex) {
    return area(indexOf(classIndex), true);
  }

  public double prAuc(int classIndex) {
    return area(indexOf(classIndex), false);
  }

  private int indexOf(int classIndex) {
    for (int s = 0; s < scoredClasses.length; s++) {
      if (scoredClasses[s] == classIndex) {
        return s;
      }
    }
    throw new IllegalArgumentException("Class " + classIndex + " is not scored");
  }

  private double macro(boolean roc) {
    double sum = 0;
    int defined = 0;
    for (int s = 0; s < scoredClasses.length; s++) {
      double a = area(s, roc);
      if (!Double.isNaN(a)) {
        sum += a;
        defined++;
      }
    }
    return defined == 0 ? Double.NaN : sum / defined;
  }

  private double area(int s, boolean roc) {
    densify();
    double[] p = new double[bins];
    double[] n = new double[bins];
    for (int b = 0; b < bins; b++) {
      p[b] = positives[s][b];
      n[b] = negatives[s][b];
    }
    return area(p, n, roc);
  }

  /**
   * The area under the ROC or PR curve of per-bin positive and negative totals (counts, or summed
   * weights): thresholds from the highest bin down, each bin adding its examples at once. Counts below
   * 2^53 are exact as doubles, so counted and summed histograms of the same examples give one area.
   */
  static double area(double[] positives, double[] negatives, boolean roc) {
    double totalP = 0;
    double totalN = 0;
    for (int b = 0; b < positives.length; b++) {
      totalP += positives[b];
      totalN += negatives[b];
    }
    if (totalP == 0 || (roc && totalN == 0)) {
      return Double.NaN;
    }
    double area = 0;
    double tp = 0;
    double fp = 0;
    double prevX = 0;
    double prevY = roc ? 0 : Double.NaN;
    for (int b = positives.length - 1; b >= 0; b--) {
      double dp = positives[b];
      double dn = negatives[b];
      if (dp == 0 && dn == 0) {
        continue;
      }
      tp += dp;
      fp += dn;
      double x = roc ? fp / totalN : tp / totalP;
      double y = roc ? tp / totalP : tp / (tp + fp);
      if (Double.isNaN(prevY)) {
        // The PR curve starts at recall 0 with the first threshold's precision.
        prevY = y;
      }
      area += (x - prevX) * (y + prevY) / 2;
      prevX = x;
      prevY = y;
    }
    return area;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    out.writeBoolean(isSparse());
    if (isSparse()) {
      out.writeInt(eventCount);
      for (int i = 0; i < eventCount; i++) {
        out.writeInt(events[i]);
      }
    } else {
      writeSparse(out, positives);
      writeSparse(out, negatives);
    }
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    if (in.readBoolean()) {
      eventCount = in.readInt();
      events = new int[Math.max(eventCount, 1)];
      for (int i = 0; i < eventCount; i++) {
        events[i] = in.readInt();
      }
    } else {
      positives = readSparse(in, scoredClasses.length, bins);
      negatives = readSparse(in, scoredClasses.length, bins);
    }
  }

  private static void writeSparse(ObjectOutputStream out, long[][] histograms) throws IOException {
    for (long[] h : histograms) {
      int nonZero = 0;
      for (long c : h) {
        if (c != 0) {
          nonZero++;
        }
      }
      out.writeInt(nonZero);
      for (int b = 0; b < h.length; b++) {
        if (h[b] != 0) {
          out.writeInt(b);
          out.writeLong(h[b]);
        }
      }
    }
  }

  private static long[][] readSparse(ObjectInputStream in, int rows, int bins) throws IOException {
    long[][] h = new long[rows][bins];
    for (int r = 0; r < rows; r++) {
      int nonZero = in.readInt();
      for (int i = 0; i < nonZero; i++) {
        h[r][in.readInt()] = in.readLong();
      }
    }
    return h;
  }

  /** Equal when the histograms are, whichever form either state is in. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AucState other) || bins != other.bins || !Arrays.equals(scoredClasses, other.scoredClasses)) {
      return false;
    }
    densify();
    other.densify();
    return Arrays.deepEquals(positives, other.positives) && Arrays.deepEquals(negatives, other.negatives);
  }

  @Override
  public int hashCode() {
    densify();
    return Arrays.deepHashCode(positives) * 31 + Arrays.deepHashCode(negatives);
  }

  @Override
  public String toString() {
    return "AucState[bins=" + bins + ", count=" + count() + "]";
  }
}

import io.sparkfit.inputs.FeatureSpec;
import io.sparkfit.inputs.InputColumn;
import io.sparkfit.inputs.Normalizer;
import io.sparkfit.features.FeatureEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRow;

/**
 * Encodes projected rows in memory, as every task does: digits (an array of 784 doubles, a quarter of
 * them non-zero) and a mixed table (five numbers with nulls filled, one with a missing indicator, two
 * categorical columns with nulls and unseen values); prints nanoseconds per row. `run` compiles it
 * against two commits and alternates them.
 */
public class EncodingBench {
  public static void main(String[] args) {
    int seconds = Integer.parseInt(args[0]);
    Random r = new Random(1);
    List<Row> digits = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      List<Object> px = new ArrayList<>();
      for (int j = 0; j < 784; j++) px.add(r.nextInt(4) == 0 ? r.nextDouble() : 0.0);
      digits.add(new GenericRow(new Object[] {0, false, scala.collection.JavaConverters.asScalaBuffer(px).toSeq()}));
    }
    List<Row> table = new ArrayList<>();
    String[] words = {"a","b","c","d","e","f","g","h","i","j","k"};
    for (int i = 0; i < 20000; i++) {
      Object[] v = new Object[2 + 7];
      for (int k = 0; k < 5; k++) v[2 + k] = r.nextInt(10) == 0 ? null : r.nextGaussian();
      v[7] = words[r.nextInt(words.length)];
      v[8] = r.nextInt(20) == 0 ? null : words[r.nextInt(words.length)];
      table.add(new GenericRow(v));
    }
    List<String> vocab = List.of("a","b","c","d","e","f","g","h","i","j");
    List<InputColumn> cols = new ArrayList<>();
    for (int k = 0; k < 5; k++) cols.add(new InputColumn.Numeric("x" + k, 0.5, k == 0));
    cols.add(new InputColumn.Categorical("c0", vocab));
    cols.add(new InputColumn.Categorical("c1", vocab));
    FeatureSpec tableSpec = new FeatureSpec(cols);
    FeatureSpec digitSpec = new FeatureSpec(List.of(new InputColumn.Array("pixels", 784)));
    FeatureEncoder d = new FeatureEncoder(digitSpec, Normalizer.none(digitSpec.width()));
    FeatureEncoder t = new FeatureEncoder(tableSpec, Normalizer.none(tableSpec.width()));
    float[] outD = new float[784];
    float[] outT = new float[tableSpec.width()];
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    long dRows = 0, tRows = 0, dNanos = 0, tNanos = 0;
    double sink = 0;
    while (System.nanoTime() < deadline) {
      long s = System.nanoTime();
      for (Row row : digits) { d.encode(row, 2, outD, 0); sink += outD[100]; }
      dNanos += System.nanoTime() - s; dRows += digits.size();
      s = System.nanoTime();
      for (Row row : table) { t.encode(row, 2, outT, 0); sink += outT[3]; }
      tNanos += System.nanoTime() - s; tRows += table.size();
    }
    System.out.printf("digits %.1f ns/row, table %.1f ns/row (%s)%n", (double) dNanos / dRows, (double) tNanos / tRows, sink > 0);
  }
}

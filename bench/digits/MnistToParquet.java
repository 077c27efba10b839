// Converts real MNIST idx files (under /work/digits/source) into Parquet:
//   /work/digits/train, /work/digits/test          columns: pixels array<float> (784, pixel/255f, row-major),
//                                                           rows array<array<float>> (28 x 28), digit int
//   /work/digits/seq-var/train, seq-var/test       columns: rows array<array<float>> (trailing all-zero rows
//                                                           removed, >= 1 row), digit int
// train = FIRST 8000 images of the MNIST training set, test = FIRST 2000 images of the MNIST test set,
// in file order. Then reads everything back and prints counts, schemas, label counts and cell checks.
//
// Run (Java 17 single-file source launch):
//   java -cp "$(cat /work/main/bench/target/classpath.txt):/work/main/bench/target/classes" \
//     --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
//     --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
//     --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
//     /work/digits/MnistToParquet.java [base-dir]
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

public class MnistToParquet {

    static final int SIDE = 28, PIX = SIDE * SIDE;
    static final int N_TRAIN = 8000, N_TEST = 2000;

    static final StructType FULL = DataTypes.createStructType(List.of(
            DataTypes.createStructField("pixels", DataTypes.createArrayType(DataTypes.FloatType, false), false),
            DataTypes.createStructField("rows", DataTypes.createArrayType(
                    DataTypes.createArrayType(DataTypes.FloatType, false), false), false),
            DataTypes.createStructField("digit", DataTypes.IntegerType, false)));

    static final StructType SEQ = DataTypes.createStructType(List.of(
            DataTypes.createStructField("rows", DataTypes.createArrayType(
                    DataTypes.createArrayType(DataTypes.FloatType, false), false), false),
            DataTypes.createStructField("digit", DataTypes.IntegerType, false)));

    /** Reads the idx3 header and the first n images (n*784 unsigned bytes). Works on a truncated .gz
     *  as long as the first n images are complete, since only the needed prefix is decompressed. */
    static int[][] readImages(Path gz, int n) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(gz), 1 << 16))) {
            int magic = in.readInt(), count = in.readInt(), rows = in.readInt(), cols = in.readInt();
            System.out.printf("%s: magic=%d count=%d rows=%d cols=%d%n", gz.getFileName(), magic, count, rows, cols);
            if (magic != 2051 || rows != SIDE || cols != SIDE || count < n)
                throw new IOException("bad idx3 header in " + gz);
            byte[] buf = new byte[PIX];
            int[][] out = new int[n][];
            for (int i = 0; i < n; i++) {
                in.readFully(buf);
                int[] px = new int[PIX];
                for (int j = 0; j < PIX; j++) px[j] = buf[j] & 0xff;
                out[i] = px;
            }
            return out;
        }
    }

    /** Reads all labels (idx1), checks the header, returns them. */
    static int[] readLabels(Path gz) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(gz)))) {
            int magic = in.readInt(), count = in.readInt();
            System.out.printf("%s: magic=%d count=%d%n", gz.getFileName(), magic, count);
            if (magic != 2049) throw new IOException("bad idx1 header in " + gz);
            int[] out = new int[count];
            for (int i = 0; i < count; i++) {
                int v = in.readUnsignedByte();
                if (v > 9) throw new IOException("label out of range: " + v);
                out[i] = v;
            }
            if (in.read() != -1) throw new IOException("trailing bytes in " + gz);
            return out;
        }
    }

    static String counts(int[] labels, int n) {
        int[] c = new int[10];
        for (int i = 0; i < n; i++) c[labels[i]]++;
        return Arrays.toString(c);
    }

    static List<Float> row(int[] px, int r) {
        List<Float> l = new ArrayList<>(SIDE);
        for (int c = 0; c < SIDE; c++) l.add(px[r * SIDE + c] / 255f);
        return l;
    }

    /** Number of rows kept after dropping trailing all-zero rows (at least 1). */
    static int keptRows(int[] px) {
        int last = SIDE - 1;
        while (last > 0) {
            boolean zero = true;
            for (int c = 0; c < SIDE && zero; c++) zero = px[last * SIDE + c] == 0;
            if (!zero) break;
            last--;
        }
        return last + 1;
    }

    static List<Row> fullRows(int[][] imgs, int[] labels) {
        List<Row> out = new ArrayList<>(imgs.length);
        for (int i = 0; i < imgs.length; i++) {
            List<Float> pixels = new ArrayList<>(PIX);
            for (int j = 0; j < PIX; j++) pixels.add(imgs[i][j] / 255f);
            List<List<Float>> rows = new ArrayList<>(SIDE);
            for (int r = 0; r < SIDE; r++) rows.add(row(imgs[i], r));
            out.add(RowFactory.create(pixels, rows, labels[i]));
        }
        return out;
    }

    static List<Row> seqRows(int[][] imgs, int[] labels) {
        List<Row> out = new ArrayList<>(imgs.length);
        for (int i = 0; i < imgs.length; i++) {
            int k = keptRows(imgs[i]);
            List<List<Float>> rows = new ArrayList<>(k);
            for (int r = 0; r < k; r++) rows.add(row(imgs[i], r));
            out.add(RowFactory.create(rows, labels[i]));
        }
        return out;
    }

    static void write(SparkSession spark, List<Row> rows, StructType schema, Path out) {
        spark.createDataFrame(rows, schema).coalesce(1).write().mode("overwrite").parquet(out.toString());
    }

    /** Spark returns nested arrays as scala Seqs; convert an inner array element to a java List. */
    @SuppressWarnings("unchecked")
    static List<List<Float>> nested(Row r, int i) {
        List<Object> outer = r.getList(i);
        List<List<Float>> out = new ArrayList<>(outer.size());
        for (Object o : outer) {
            out.add(o instanceof List ? (List<Float>) o
                    : scala.collection.JavaConverters.seqAsJavaList((scala.collection.Seq<Float>) o));
        }
        return out;
    }

    /** Reads back a split and verifies every row against the source images (order is preserved: 1 file). */
    static boolean verify(SparkSession spark, Path full, Path seq, int[][] imgs, int[] labels) {
        boolean ok = true;
        Dataset<Row> f = spark.read().parquet(full.toString());
        Dataset<Row> s = spark.read().parquet(seq.toString());
        System.out.println("== " + full + " rows=" + f.count());
        f.printSchema();
        f.groupBy("digit").count().orderBy("digit").show(10, false);
        System.out.println("== " + seq + " rows=" + s.count());
        s.printSchema();
        s.groupBy("digit").count().orderBy("digit").show(10, false);

        List<Row> fr = f.collectAsList(), sr = s.collectAsList();
        ok &= fr.size() == imgs.length && sr.size() == imgs.length;
        long cellMismatch = 0, srcMismatch = 0, seqMismatch = 0;
        int minLen = SIDE, maxLen = 0;
        long sumLen = 0;
        for (int i = 0; i < fr.size(); i++) {
            Row r = fr.get(i);
            List<Float> pixels = r.getList(0);
            List<List<Float>> rows = nested(r, 1);
            if (pixels.size() != PIX || rows.size() != SIDE || r.getInt(2) != labels[i]) srcMismatch++;
            for (int y = 0; y < SIDE; y++) {
                if (rows.get(y).size() != SIDE) { cellMismatch++; continue; }
                for (int x = 0; x < SIDE; x++) {
                    float p = pixels.get(y * SIDE + x);
                    if (p != rows.get(y).get(x)) cellMismatch++;
                    if (p != imgs[i][y * SIDE + x] / 255f) srcMismatch++;
                }
            }
            Row q = sr.get(i);
            List<List<Float>> qrows = nested(q, 0);
            int k = qrows.size();
            minLen = Math.min(minLen, k); maxLen = Math.max(maxLen, k); sumLen += k;
            if (q.getInt(1) != labels[i] || k != keptRows(imgs[i]) || k < 1) seqMismatch++;
            for (int y = 0; y < k && y < SIDE; y++)
                if (!qrows.get(y).equals(rows.get(y))) seqMismatch++;
            if (i < 3) {
                System.out.printf("row %d: digit=%d pixels[14*28+14]=%s rows[14][14]=%s pixels[7*28+10]=%s rows[7][10]=%s seqLen=%d%n",
                        i, r.getInt(2), pixels.get(14 * SIDE + 14), rows.get(14).get(14),
                        pixels.get(7 * SIDE + 10), rows.get(7).get(10), k);
            }
        }
        System.out.printf("checks: pixels-vs-rows mismatches=%d, vs-source mismatches=%d, seq-var mismatches=%d%n",
                cellMismatch, srcMismatch, seqMismatch);
        System.out.printf("seq-var lengths: min=%d max=%d mean=%.2f%n", minLen, maxLen, (double) sumLen / sr.size());
        ok &= cellMismatch == 0 && srcMismatch == 0 && seqMismatch == 0;
        return ok;
    }

    public static void main(String[] args) throws Exception {
        Path base = Paths.get(args.length > 0 ? args[0] : "/work/digits");
        Path src = base.resolve("source");

        int[] trainLabelsAll = readLabels(src.resolve("train-labels-idx1-ubyte.gz"));
        int[] testLabelsAll = readLabels(src.resolve("t10k-labels-idx1-ubyte.gz"));
        System.out.println("all 60k train label counts: " + counts(trainLabelsAll, trainLabelsAll.length));
        System.out.println("all 10k test  label counts: " + counts(testLabelsAll, testLabelsAll.length));
        int[][] trainImgs;
        int[][] testImgs;
        int[] trainLabels;
        int[] testLabels;
        if (Files.exists(src.resolve("train-images-idx3-ubyte.partial.gz"))) {
            trainImgs = readImages(src.resolve("train-images-idx3-ubyte.partial.gz"), N_TRAIN);
            testImgs = readImages(src.resolve("t10k-images-idx3-ubyte.gz"), N_TEST);
            trainLabels = Arrays.copyOf(trainLabelsAll, N_TRAIN);
            testLabels = Arrays.copyOf(testLabelsAll, N_TEST);
        } else {
            // Without the training images (10 MB, more than some mirrors carry), MNIST's own test set of
            // 10,000 images: its first 8,000 for training, its last 2,000 for testing.
            System.out.println("no train-images-idx3-ubyte.partial.gz: splitting t10k 8,000 / 2,000");
            int[][] all = readImages(src.resolve("t10k-images-idx3-ubyte.gz"), N_TRAIN + N_TEST);
            trainImgs = Arrays.copyOfRange(all, 0, N_TRAIN);
            testImgs = Arrays.copyOfRange(all, N_TRAIN, N_TRAIN + N_TEST);
            trainLabels = Arrays.copyOfRange(testLabelsAll, 0, N_TRAIN);
            testLabels = Arrays.copyOfRange(testLabelsAll, N_TRAIN, N_TRAIN + N_TEST);
        }
        System.out.println("first 8000 train label counts: " + counts(trainLabels, N_TRAIN));
        System.out.println("first 2000 test  label counts: " + counts(testLabels, N_TEST));

        SparkSession spark = SparkSession.builder()
                .appName("MnistToParquet")
                .master("local[1]")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "1")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");

        write(spark, fullRows(trainImgs, trainLabels), FULL, base.resolve("train"));
        write(spark, fullRows(testImgs, testLabels), FULL, base.resolve("test"));
        write(spark, seqRows(trainImgs, trainLabels), SEQ, base.resolve("seq-var/train"));
        write(spark, seqRows(testImgs, testLabels), SEQ, base.resolve("seq-var/test"));

        boolean ok = verify(spark, base.resolve("train"), base.resolve("seq-var/train"), trainImgs, trainLabels);
        ok &= verify(spark, base.resolve("test"), base.resolve("seq-var/test"), testImgs, testLabels);
        spark.stop();
        System.out.println(ok ? "ALL CHECKS PASSED" : "CHECKS FAILED");
        if (!ok) System.exit(1);
    }
}

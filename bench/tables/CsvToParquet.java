// Converts the benchmark CSV splits under /work/tables/<name>/{train,test}.csv
// into single-file Parquet directories /work/tables/<name>/{train,test}.parquet,
// with an explicit schema, then reads them back and prints row counts, schema and
// per-column null counts (and checks them against the CSV read).
//
// Run (Java 17 single-file source launch):
//   java -cp "$(cat /work/main/bench/target/classpath.txt):/work/main/bench/target/classes" \
//     --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
//     --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
//     --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
//     /work/tables/CsvToParquet.java [base-dir] [table ...]
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

public class CsvToParquet {

    /** Column type rule for one table: string columns, int columns, everything else double. */
    record Table(String name, boolean allString, Set<String> stringCols, Set<String> intCols) {
        DataType typeOf(String col) {
            if (allString || stringCols.contains(col)) return DataTypes.StringType;
            if (intCols.contains(col)) return DataTypes.IntegerType;
            return DataTypes.DoubleType;
        }
    }

    static final List<Table> TABLES = List.of(
            new Table("soybean", true, Set.of(), Set.of()),            // features + class: strings
            new Table("pima", false, Set.of(), Set.of("Outcome")),
            new Table("shuttle", false, Set.of(), Set.of("class")),
            new Table("beijing_airq", false, Set.of("month", "wd"), Set.of()),
            new Table("votes", true, Set.of(), Set.of()),              // 16 y/n votes + party: strings
            new Table("letter", false, Set.of("letter"), Set.of(
                    "x_box", "y_box", "width", "high", "onpix", "x_bar", "y_bar", "x2bar",
                    "y2bar", "xybar", "x2ybr", "xy2br", "x_ege", "xegvy", "y_ege", "yegvx")),
            new Table("autompg", false, Set.of("origin"), Set.of("cylinders", "model_year")),
            new Table("bikeday", false, Set.of("season", "mnth", "weekday"),
                    Set.of("yr", "holiday", "workingday", "weathersit")));

    static StructType schemaFor(Table t, Path csv) throws IOException {
        String header;
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            header = r.readLine();
        }
        List<StructField> fields = new ArrayList<>();
        for (String c : header.split(",", -1)) {
            fields.add(DataTypes.createStructField(c, t.typeOf(c), true));
        }
        return DataTypes.createStructType(fields);
    }

    static long[] nullCounts(Dataset<Row> df) {
        String[] cols = df.columns();
        Column[] aggs = new Column[cols.length + 1];
        for (int i = 0; i < cols.length; i++) {
            aggs[i] = functions.sum(functions.when(functions.col("`" + cols[i] + "`").isNull(), 1L)
                    .otherwise(0L));
        }
        aggs[cols.length] = functions.count(functions.lit(1));
        Row r = df.agg(aggs[0], Arrays.copyOfRange(aggs, 1, aggs.length)).first();
        long[] out = new long[cols.length + 1];
        for (int i = 0; i <= cols.length; i++) out[i] = r.isNullAt(i) ? 0L : r.getLong(i);
        return out; // last element = row count
    }

    public static void main(String[] args) throws Exception {
        Path base = Paths.get(args.length > 0 ? args[0] : "/work/tables");
        Set<String> only = args.length > 1 ? Set.of(Arrays.copyOfRange(args, 1, args.length)) : null;

        SparkSession spark = SparkSession.builder()
                .appName("CsvToParquet")
                .master("local[1]")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "1")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");

        StringBuilder report = new StringBuilder();
        boolean ok = true;
        for (Table t : TABLES) {
            if (only != null && !only.contains(t.name())) continue;
            for (String split : List.of("train", "test")) {
                Path csv = base.resolve(t.name()).resolve(split + ".csv");
                Path out = base.resolve(t.name()).resolve(split + ".parquet");
                StructType schema = schemaFor(t, csv);
                Dataset<Row> df = spark.read()
                        .option("header", "true")
                        .option("enforceSchema", "false") // header names must match the schema
                        .option("mode", "FAILFAST")       // malformed value -> error, not null
                        .option("nullValue", "")
                        .schema(schema)
                        .csv(csv.toString());
                long[] csvNulls = nullCounts(df);
                df.coalesce(1).write().mode("overwrite").parquet(out.toString());

                Dataset<Row> back = spark.read().parquet(out.toString());
                long[] pqNulls = nullCounts(back);
                boolean same = Arrays.equals(csvNulls, pqNulls)
                        && back.schema().equals(schema.asNullable());
                ok &= same;
                long nFiles;
                try (var s = Files.list(out)) {
                    nFiles = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).count();
                }
                String[] cols = back.columns();
                report.append(String.format("%s/%s.parquet rows=%d parquetFiles=%d matchesCsv=%s%n",
                        t.name(), split, pqNulls[cols.length], nFiles, same));
                for (int i = 0; i < cols.length; i++) {
                    report.append(String.format("  %-24s %-8s nulls=%d%n", cols[i],
                            back.schema().fields()[i].dataType().simpleString(), pqNulls[i]));
                }
            }
        }
        System.out.print(report);
        Files.writeString(base.resolve("parquet-summary.txt"), report.toString());
        spark.stop();
        if (!ok) {
            System.err.println("MISMATCH between CSV and Parquet read-back");
            System.exit(1);
        }
    }
}

package io.sparkfit.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.testing.Repo;
import io.sparkfit.testing.TreeDigest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;

/**
 * The regression suite of bad inputs, in one catalogue: the fixtures they need (a corrupt Parquet
 * file, an empty table, a truncated model.zip, a network JSON naming a foreign class, an output
 * another run holds) and, for each input, the command, its exit code and what its one error line
 * must name. Each must exit with its code, print exactly one error line naming the key, column, file
 * or entry and its value and nothing else, and leave every file of its inputs and outputs as it was:
 * the whole workspace, the repository's sample data and configs are hashed before and after.
 *
 * <p>{@link BadInputsTest} runs every case in-process, where a Spark session starts in a second
 * instead of a JVM's fifteen; {@link BadInputsIT} runs the cases marked {@link
 * Case#alsoThroughBinSparkfit} through {@code bin/sparkfit} exactly as a user does, where the
 * console is the user's and the log configuration is {@code bin/log4j2.properties}: one of each
 * kind of failure (config, path, model file, master, file format, file system, rows, lease).
 */
final class BadInputs {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Runs a {@code sparkfit} command to its end: in-process or through {@code bin/sparkfit}. */
  @FunctionalInterface
  interface Runner {
    SparkfitCli.Result run(String name, List<String> args) throws Exception;
  }

  /** One bad input: the command, how it must end, and what its one error line must name. */
  record Case(String name, List<String> args, int exit, List<String> mentions, boolean throughBinSparkfit) {
    /** This case also runs through {@code bin/sparkfit}, in its own JVM with the user's console. */
    Case alsoThroughBinSparkfit() {
      return new Case(name, args, exit, mentions, true);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private final Path work;
  private Path customers;
  private Path validation;
  private Path corrupt;
  private Path empty;
  private Path accounts;
  private Path model;
  private Path truncatedEntry;
  private Path halfZip;
  private Path networks;
  private Path jsonConf;
  private Path foreignConf;
  private Path held;

  /** Builds the fixtures under {@code work}; the model they refuse to misuse is trained by {@code runner}. */
  BadInputs(Path work, Runner runner) throws Exception {
    this.work = work;
    customers = copy(Repo.dataSamples().resolve("customers"), work.resolve("data/customers"));
    validation = copy(Repo.dataSamples().resolve("customers"), work.resolve("data/validation"));
    accounts = copy(Repo.dataSamples().resolve("accounts/train"), work.resolve("data/accounts"));
    corrupt = copy(Repo.dataSamples().resolve("customers"), work.resolve("data/corrupt"));
    Path part = firstParquet(corrupt);
    byte[] bytes = Files.readAllBytes(part);
    Files.write(corrupt.resolve("part-00001-truncated.snappy.parquet"), Arrays.copyOf(bytes, bytes.length / 2));
    empty = Files.createDirectories(work.resolve("data/empty"));
    writeEmptyParquet(part, empty.resolve("part-00000.parquet"));
    Files.createSymbolicLink(work.resolve("link"), customers);

    SparkfitCli.Result trained =
        runner.run(
            "fixture-model", List.of("train", Repo.conf("quickstart.conf").toString(), "data.train=" + customers,
                "output.dir=" + work.resolve("models/quickstart"), "training.epochs=1"));
    assertThat(trained.exit()).as(trained.toString()).isZero();
    model = work.resolve("models/quickstart");
    byte[] zip = Files.readAllBytes(model.resolve("model.zip"));
    truncatedEntry = work.resolve("models/truncated-entry.zip");
    Files.write(truncatedEntry, truncateEntry(zip, "coefficients.bin"));
    halfZip = work.resolve("models/half.zip");
    Files.write(halfZip, Arrays.copyOf(zip, zip.length / 2));

    networks = Files.createDirectories(work.resolve("networks"));
    Files.writeString(networks.resolve("net.json"), "{}");
    Files.writeString(
        networks.resolve("foreign.json"),
        "{\"confs\": [{\"layer\": {\"@class\": \"com.example.Exploit\"}}], \"backpropType\": \"Standard\"}");
    jsonConf = networkConf("json.conf", networks.resolve("net.json"));
    foreignConf = networkConf("foreign.conf", networks.resolve("foreign.json"));

    // An output another run holds: its lease renewed a moment ago on another host (dated ahead, so it stays fresh).
    held = work.resolve("models/held");
    Path lease = work.resolve("models/.held.sparkfit-lease");
    Files.writeString(
        lease,
        JSON.writeValueAsString(
            Map.of("owner", "o-1", "application", "app-elsewhere", "host", "elsewhere", "pid", 7, "user", "etl",
                "started", "2026-12-01T00:00:00Z", "timeoutSeconds", 60)));
    Files.setLastModifiedTime(lease, FileTime.from(Instant.now().plusSeconds(86_400)));
  }

  private Path networkConf(String name, Path json) throws IOException {
    Path conf = work.resolve("conf/" + name);
    Files.createDirectories(conf.getParent());
    Files.writeString(
        conf,
        String.format(
            "data { train = \"%s\", features = [age, income, visits_per_month, avg_basket, tenure_days], label = segment }%n"
                + "model { dl4j-configuration = \"%s\" }%n",
            customers, json));
    return conf;
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return to;
  }

  private static Path firstParquet(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
    }
  }

  /** A Parquet file with the schema of {@code like} and no rows. */
  private static void writeEmptyParquet(Path like, Path file) throws IOException {
    Configuration hadoop = new Configuration();
    MessageType schema;
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(like.toUri()), hadoop))) {
      schema = reader.getFooter().getFileMetaData().getSchema();
    }
    try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri())).withType(schema).withConf(hadoop).build()) {
      // no rows
    }
  }

  /** The archive with one entry's bytes cut in half, as a copy interrupted mid-file leaves it. */
  private static byte[] truncateEntry(byte[] zip, String name) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip));
        ZipOutputStream rewritten = new ZipOutputStream(out)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        byte[] content = in.readAllBytes();
        rewritten.putNextEntry(new ZipEntry(e.getName()));
        rewritten.write(e.getName().equals(name) ? Arrays.copyOf(content, content.length / 2) : content);
        rewritten.closeEntry();
      }
    }
    return out.toByteArray();
  }

  private List<String> train(String... settings) {
    List<String> args = new ArrayList<>(List.of("train", Repo.conf("quickstart.conf").toString(), "data.train=" + customers));
    args.addAll(List.of(settings));
    if (Arrays.stream(settings).noneMatch(s -> s.startsWith("output.dir="))) {
      args.add("output.dir=" + work.resolve("models/new"));
    }
    return args;
  }

  private static Case refused(String name, List<String> args, String... mentions) {
    return new Case(name, args, 2, List.of(mentions), false);
  }

  /** Refused before Spark starts: config keys and bounds, paths, model files, the network JSON. */
  Stream<Case> refusedBeforeSpark() {
    return Stream.of(
        refused("output.dir is data.train, with overwrite", train("output.dir=" + customers, "output.overwrite=true"),
            "output.dir " + customers + " is the same as data.train " + customers).alsoThroughBinSparkfit(),
        refused("output.dir is data.train, without overwrite", train("output.dir=" + customers, "output.overwrite=false"),
            "output.dir " + customers + " is the same as data.train"),
        refused("output.dir inside data.train", train("output.dir=" + customers.resolve("model")),
            "output.dir " + customers.resolve("model") + " lies inside data.train " + customers),
        refused("output.dir containing data.train", train("output.dir=" + work.resolve("data"), "output.overwrite=true"),
            "output.dir " + work.resolve("data") + " contains data.train " + customers),
        refused("output.dir spelt with .. and a trailing slash", train("output.dir=" + work + "/data/x/../customers/"),
            "(" + customers + ") is the same as data.train"),
        refused("output.dir through a symbolic link into data.train", train("output.dir=" + work.resolve("link/model")),
            "output.dir " + work.resolve("link/model") + " (" + customers.resolve("model") + ") lies inside data.train"),
        refused("output.dir is data.validation", train("data.validation=" + validation, "output.dir=" + validation, "output.overwrite=true"),
            "is the same as data.validation " + validation),
        refused("output.dir is model.init-from", train("model.init-from=" + model, "output.dir=" + model, "output.overwrite=true"),
            "output.dir " + model + " is the same as model.init-from " + model),
        refused("output.dir holds model.dl4j-configuration",
            List.of("train", jsonConf.toString(), "output.dir=" + networks, "output.overwrite=true"),
            "output.dir " + networks + " contains model.dl4j-configuration " + networks.resolve("net.json")),
        refused("predict --output is --data",
            List.of("predict", "--model", model.toString(), "--data", customers.toString(), "--output", customers.toString(), "--overwrite"),
            "--output " + customers + " is the same as --data " + customers),
        refused("predict --output inside --model",
            List.of("predict", "--model", model.toString(), "--data", customers.toString(), "--output", model.resolve("predictions").toString()),
            "--output " + model.resolve("predictions") + " lies inside --model " + model),
        refused("evaluate --output inside --data",
            List.of("evaluate", "--model", model.toString(), "--data", customers.toString(), "--output", customers.resolve("metrics.json").toString()),
            "--output " + customers.resolve("metrics.json") + " lies inside --data " + customers),
        refused("training.epochs = 1e9", train("training.epochs=1e9"),
            "Invalid training.epochs: 1000000000 (at most 100000: a larger value is surely a mistake)"),
        refused("metrics.auc-bins past its bound", train("metrics.auc-bins=10000000"), "Invalid metrics.auc-bins: 10000000 (at most 100000"),
        refused("a port past its bound", train("training.exchange-port=70000"), "Invalid training.exchange-port: 70000"),
        refused("a lease timeout below its bound", train("output.lease-timeout-seconds=5"), "Invalid output.lease-timeout-seconds: 5 (must be >= 10)"),
        refused("a misspelt master", train("spark.master=yarnn"), "Invalid spark.master: yarnn (must be local"),
        refused("an unreachable standalone master", train("spark.master=spark://127.0.0.1:1"),
            "Cannot reach the Spark master of spark.master = spark://127.0.0.1:1", "Connection refused").alsoThroughBinSparkfit(),
        refused("a model.zip with a truncated entry", List.of("evaluate", "--model", truncatedEntry.toString(), "--data", customers.toString()),
            "model " + truncatedEntry + ": entry 'coefficients.bin' is truncated or corrupt"),
        refused("a model.zip cut short", List.of("predict", "--model", halfZip.toString(), "--data", customers.toString(), "--output", work.resolve("p").toString()),
            "model " + halfZip + " is truncated or corrupt in entry '").alsoThroughBinSparkfit(),
        refused("a directory as the config", List.of("train", Repo.root().resolve("conf").toString()),
            "Config file " + Repo.root().resolve("conf") + " is a directory; give a .conf file such as"),
        refused("a missing config file", List.of("train", work.resolve("nope.conf").toString()), "Config file not found: " + work.resolve("nope.conf")),
        refused("a misspelt key", train("trainig.epochs=3"), "Unknown config key trainig.epochs; did you mean training.epochs?").alsoThroughBinSparkfit(),
        refused("a foreign class in the network JSON", List.of("train", foreignConf.toString(), "output.dir=" + work.resolve("models/foreign")),
            "model.dl4j-configuration " + networks.resolve("foreign.json") + " names class com.example.Exploit", "refused"),
        refused("an existing output without overwrite", train("output.dir=" + model, "output.overwrite=false"),
            "output.dir " + model + " already exists (set output.overwrite=true to replace it)"),
        refused("evaluate an unknown key", List.of("evaluate", "--model", model.toString(), "--data", customers.toString(), "trainig.epochs=1"),
            "Unknown key trainig.epochs for evaluate/predict"),
        // DL4J's Spark module exists for Scala 2.12 only: the Spark 4 build names the build that has it.
        io.sparkfit.config.TrainingConfig.Engine.DL4J.inThisBuild()
            ? null
            : refused("DL4J's engine in the Spark 4 build", train("training.engine=dl4j"), io.sparkfit.config.TrainingConfig.Engine.DL4J_NOT_IN_THIS_BUILD))
        .filter(java.util.Objects::nonNull);
  }

  /** Refused once Spark runs: reading the data, its rows and schema, checkpoints and leases on the output's file system. */
  Stream<Case> refusedOnceSparkRuns() {
    String quickstart = Repo.conf("quickstart.conf").toString();
    return Stream.of(
        refused("a minibatch larger than the training rows", train("training.batch-size-per-worker=100000"),
            "Invalid training.batch-size-per-worker: 100000 (more than the", "training rows"),
        refused("a corrupt Parquet file", train("data.train=" + corrupt),
            "Cannot read data.train = " + corrupt + ": file " + corrupt.resolve("part-00001-truncated.snappy.parquet") + " is corrupt or truncated").alsoThroughBinSparkfit(),
        refused("an unreachable file system", train("data.train=hdfs://127.0.0.1:1/data"),
            "Cannot read data.train = hdfs://127.0.0.1:1/data", "ConnectException").alsoThroughBinSparkfit(),
        refused("a missing column", train("data.label=tier"), "column 'tier' (data.label) not found in data.train"),
        refused("a string label for regression", train("data.task=regression", "metrics.names=[mse]"),
            "label column 'segment' in data.train has type string; data.task = regression needs a numeric column"),
        refused("nulls where nothing imputes them",
            List.of("train", Repo.conf("accounts.conf").toString(), "data.train=" + accounts, "data.missing.impute=none",
                "output.dir=" + work.resolve("models/accounts")),
            "data.train has", "invalid rows, e.g. feature column 'monthly_spend' is null or NaN (impute = none)").alsoThroughBinSparkfit(),
        refused("empty data", train("data.train=" + empty), "data.train = " + empty + " has no rows"),
        refused("--resume without a checkpoint", List.of("train", "--resume", quickstart, "data.train=" + customers, "output.dir=" + work.resolve("models/never")),
            "--resume: no checkpoint at " + work.resolve("models/.never.sparkfit-checkpoint")),
        refused("an output another run holds", train("output.dir=" + held),
            "output.dir " + held + " is in use by another run: application app-elsewhere (pid 7 on host elsewhere, user etl)").alsoThroughBinSparkfit(),
        refused("predict --keep an unknown column",
            List.of("predict", "--model", model.toString(), "--data", customers.toString(), "--output", work.resolve("p").toString(), "--keep", "nosuch"),
            "--keep column 'nosuch' not found in --data"))
        .filter(java.util.Objects::nonNull);
  }

  /**
   * Runs {@code c} and checks it was refused as it must be: its exit code, one error line naming
   * what it must, nothing on stderr but Sparkfit's log and that line, nothing on stdout, and not one
   * file of the workspace, the sample data or the configs changed.
   */
  void assertRefusedInOneLineWithNothingTouched(Case c, Runner runner) throws Exception {
    SortedMap<String, String> workBefore = TreeDigest.of(work);
    SortedMap<String, String> samplesBefore = TreeDigest.of(Repo.dataSamples());
    SortedMap<String, String> confBefore = TreeDigest.of(Repo.root().resolve("conf"));

    SparkfitCli.Result result = runner.run(c.name().replaceAll("[^A-Za-z0-9]+", "-"), c.args());

    assertThat(result.exit()).as(result.toString()).isEqualTo(c.exit());
    List<String> errors = result.stderrLines().stream().filter(l -> l.startsWith("sparkfit: error: ")).toList();
    assertThat(errors).as(result.toString()).hasSize(1);
    for (String mention : c.mentions()) {
      assertThat(errors.get(0)).as(result.toString()).contains(mention);
    }
    assertThat(result.unloggedLines()).as("nothing but Sparkfit's log and the one error line\n" + result).containsExactlyElementsOf(errors);
    assertThat(result.stdout()).as(result.toString()).isEmpty();
    assertThat(TreeDigest.of(work)).as("the inputs and outputs, file by file").isEqualTo(workBefore);
    assertThat(TreeDigest.of(Repo.dataSamples())).isEqualTo(samplesBefore);
    assertThat(TreeDigest.of(Repo.root().resolve("conf"))).isEqualTo(confBefore);
  }
}

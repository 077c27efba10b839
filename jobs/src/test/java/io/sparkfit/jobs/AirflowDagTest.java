package io.sparkfit.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.LoadedConfig;
import io.sparkfit.config.Task;
import io.sparkfit.testing.Repo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The example Airflow DAG passes arguments the jobs accept. The DAG is read with Python's own parser
 * (no Airflow needed): each {@code SparkSubmitOperator}'s {@code java_class}, {@code application_args}
 * and {@code conf}, with module constants filled in. The arguments, templates rendered for one day,
 * then go through the jobs' own argument parser and config checks.
 */
class AirflowDagTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EXTRACT =
      """
      import ast, json, sys
      tree = ast.parse(open(sys.argv[1]).read())
      constants = {}
      for node in tree.body:
          if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
              try:
                  constants[node.targets[0].id] = ast.literal_eval(node.value)
              except ValueError:
                  pass
      def value(node):
          if isinstance(node, ast.Name):
              return constants[node.id]
          if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
              return value(node.left) + value(node.right)
          if isinstance(node, ast.List):
              return [value(e) for e in node.elts]
          return ast.literal_eval(node)
      tasks = []
      for node in ast.walk(tree):
          if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "SparkSubmitOperator":
              tasks.append({k.arg: value(k.value) for k in node.keywords if k.arg in ("task_id", "java_class", "application_args", "conf")})
      print(json.dumps(tasks))
      """;

  private static JsonNode operators() throws Exception {
    Process python =
        new ProcessBuilder("python3", "-c", EXTRACT, Repo.root().resolve("conf/airflow/sparkfit_retrain.py").toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(python.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(python.exitValue()).as(output).isZero();
    return JSON.readTree(output);
  }

  /** The arguments as Airflow renders them on 2026-11-22, with the deployed config path mapped to the repository's. */
  private static String[] rendered(JsonNode args) {
    List<String> out = new ArrayList<>();
    args.forEach(
        a -> out.add(a.asText().replace("{{ ds }}", "2026-11-22").replace("/opt/sparkfit/conf/", Repo.root().resolve("conf") + "/")));
    return out.toArray(String[]::new);
  }

  @Test
  void theDagsArgumentsAreOnesTheJobsAccept() throws Exception {
    JsonNode tasks = operators();
    assertThat(tasks).hasSize(2);

    JsonNode train = tasks.get(0);
    assertThat(train.get("java_class").asText()).isEqualTo(TrainJob.class.getName());
    TrainJob trainJob = new TrainJob();
    new CommandLine(trainJob).parseArgs(rendered(train.get("application_args")));
    assertThat(trainJob.resumeIfPresent).isTrue();
    LoadedConfig config = ConfigLoader.load(trainJob.config, trainJob.overrides);
    assertThat(config.config().data().train()).isEqualTo("hdfs:///data/customers/2026-11-22/train");
    assertThat(config.config().output().dir()).isEqualTo("hdfs:///models/customers/2026-11-22");
    assertThat(train.at("/conf/spark.dynamicAllocation.enabled").asText()).isEqualTo("false");

    JsonNode evaluate = tasks.get(1);
    assertThat(evaluate.get("java_class").asText()).isEqualTo(EvaluateJob.class.getName());
    EvaluateJob evaluateJob = new EvaluateJob();
    new CommandLine(evaluateJob).parseArgs(rendered(evaluate.get("application_args")));
    assertThat(evaluateJob.model).isEqualTo(config.config().output().dir());
    assertThat(ConfigLoader.loadScoring(evaluateJob.settings, Task.CLASSIFICATION, false).exactAuc()).isTrue();
    assertThat(Path.of(evaluateJob.output).getFileName().toString()).isEqualTo("2026-11-22-holdout-metrics.json");
  }
}

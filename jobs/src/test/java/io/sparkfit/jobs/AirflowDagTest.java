package io.sparkfit.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.GuardConfig;
import io.sparkfit.config.LoadedConfig;
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
      def value(node):
          if isinstance(node, ast.Name):
              return constants[node.id]
          if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
              return value(node.left) + value(node.right)
          if isinstance(node, ast.List):
              return [value(e) for e in node.elts]
          return ast.literal_eval(node)
      for node in tree.body:
          if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
              try:
                  constants[node.targets[0].id] = value(node.value)
              except (ValueError, KeyError):
                  pass
      tasks = []
      for node in ast.walk(tree):
          if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("SparkSubmitOperator", "GatedSparkSubmitOperator"):
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

  /**
   * Runs the DAG file against stand-ins for Airflow's modules (a SparkSubmitOperator whose execute
   * fails as SparkSubmitHook does, "Cannot execute: ... Error code is: N."), then executes the
   * gated operator with each exit code and prints what it raised.
   */
  private static final String GATES =
      """
      import sys, types
      class AirflowException(Exception): pass
      class AirflowSkipException(AirflowException): pass
      class DAG:
          def __init__(self, **kwargs): pass
          def __enter__(self): return self
          def __exit__(self, *exc): return False
      class SparkSubmitOperator:
          exit_code = 0
          def __init__(self, **kwargs):
              self.task_id = kwargs["task_id"]
          def execute(self, context):
              if SparkSubmitOperator.exit_code:
                  raise AirflowException("Cannot execute: spark-submit ... Error code is: %d." % SparkSubmitOperator.exit_code)
              return "ran"
          def __rshift__(self, other): return other
      modules = {
          "airflow": types.ModuleType("airflow"), "airflow.exceptions": types.ModuleType("airflow.exceptions"),
          "airflow.providers": types.ModuleType("p"), "airflow.providers.apache": types.ModuleType("pa"),
          "airflow.providers.apache.spark": types.ModuleType("pas"), "airflow.providers.apache.spark.operators": types.ModuleType("paso"),
          "airflow.providers.apache.spark.operators.spark_submit": types.ModuleType("pasos")}
      modules["airflow"].DAG = DAG
      modules["airflow.exceptions"].AirflowException = AirflowException
      modules["airflow.exceptions"].AirflowSkipException = AirflowSkipException
      modules["airflow.providers.apache.spark.operators.spark_submit"].SparkSubmitOperator = SparkSubmitOperator
      sys.modules.update(modules)
      dag = {}
      exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), dag)
      for code in (0, 1, 2, 3, 4, 5, 143):
          SparkSubmitOperator.exit_code = code
          try:
              dag["compare"].execute({})
              print(code, "success")
          except AirflowSkipException:
              print(code, "skipped")
          except AirflowException:
              print(code, "failed")
      """;

  @Test
  void gateExitCodesSkipTheRestOfTheRunAndOtherFailuresStayFailures() throws Exception {
    Process python =
        new ProcessBuilder("python3", "-c", GATES, Repo.root().resolve("conf/airflow/sparkfit_retrain.py").toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(python.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(python.exitValue()).as(output).isZero();
    assertThat(output.lines().toList())
        .containsExactly("0 success", "1 failed", "2 failed", "3 failed", "4 skipped", "5 skipped", "143 failed");
    assertThat(List.of(io.sparkfit.GateException.DRIFT, io.sparkfit.GateException.NOT_PROMOTED)).containsExactly(4, 5);
  }

  @Test
  void theDagsArgumentsAreOnesTheJobsAccept() throws Exception {
    JsonNode tasks = operators();
    assertThat(tasks).hasSize(3);

    JsonNode train = tasks.get(0);
    assertThat(train.get("java_class").asText()).isEqualTo(TrainJob.class.getName());
    TrainJob trainJob = new TrainJob();
    new CommandLine(trainJob).parseArgs(rendered(train.get("application_args")));
    assertThat(trainJob.resumeIfPresent).isTrue();
    LoadedConfig config = ConfigLoader.load(trainJob.config, trainJob.overrides);
    assertThat(config.config().data().train()).isEqualTo("hdfs:///data/customers/2026-11-22/train");
    assertThat(config.config().output().dir()).isEqualTo("hdfs:///models/customers/2026-11-22");
    assertThat(train.at("/conf/spark.dynamicAllocation.enabled").asText()).isEqualTo("false");

    GuardConfig.Drift drift = config.config().guard().drift();
    assertThat(drift.onViolation()).isEqualTo(GuardConfig.OnViolation.FAIL);

    JsonNode compare = tasks.get(1);
    assertThat(compare.get("java_class").asText()).isEqualTo(CompareJob.class.getName());
    CompareJob compareJob = new CompareJob();
    new CommandLine(compareJob).parseArgs(rendered(compare.get("application_args")));
    assertThat(compareJob.challenger).as("the challenger is the model train wrote").isEqualTo(config.config().output().dir());
    assertThat(drift.reference()).as("train checks its data against the champion's").isEqualTo(new GuardConfig.PathReference(compareJob.champion));
    assertThat(ConfigLoader.loadGate(compareJob.settings).alpha()).isEqualTo(0.05);
    assertThat(compareJob.data).isEqualTo("hdfs:///data/customers/2026-11-22/holdout");

    JsonNode promote = tasks.get(2);
    assertThat(promote.get("java_class").asText()).isEqualTo(PromoteJob.class.getName());
    PromoteJob promoteJob = new PromoteJob();
    new CommandLine(promoteJob).parseArgs(rendered(promote.get("application_args")));
    assertThat(promoteJob.model).isEqualTo(config.config().output().dir());
    assertThat(promoteJob.current).as("the pointer compare read the champion from").isEqualTo(compareJob.champion);
    assertThat(promoteJob.verdict).as("compare's result").isEqualTo(compareJob.output);
    assertThat(Path.of(promoteJob.verdict).getFileName().toString()).isEqualTo("2026-11-22-gate.json");
  }
}

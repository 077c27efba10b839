"""Nightly retraining with Sparkfit that nobody has to watch: train (behind the drift gate), compare the new
model with the one in service on a holdout (the champion/challenger gate), and promote it only if it passed.

Models are versioned, one directory a day (MODELS/{{ ds }}), and MODELS/current is the promotion pointer: a
small JSON file naming the model in service, which `promote` replaces in one rename, so every reader of
MODELS/current (predict jobs, services) moves from one whole model to the next. The gates:
  - train checks the day's data against the profile of the model in service
    (guard.drift.reference = MODELS/current, guard.drift.on-violation = fail): drifted data stops it before
    training with exit code 4, and the drift table is left in MODELS/{{ ds }}.drift.json;
  - compare scores the holdout with both models in one Spark pass and exits 5 unless the challenger passes
    (McNemar's exact test, or the paired t-test of squared errors, at guard.promote.alpha); its JSON result
    goes to MODELS/{{ ds }}-gate.json;
  - promote points MODELS/current at the new model, checking compare's result names it and passed.
Exit codes 4 and 5 are verdicts, not failures: GatedSparkSubmitOperator turns them into a skipped task, so
the rest of the run is skipped, the DAG run does not fail, Airflow does not retry, and yesterday's champion
stays in service. Sparkfit's exit code reaches Airflow in client mode (this DAG's); in YARN cluster mode
spark-submit reports only the application's failure, so there read MODELS/{{ ds }}-gate.json instead.

Before the first run, put a first model in service by hand, so that there is a champion to compare with:
  sparkfit promote --model MODELS/FIRST --current MODELS/current

Sparkfit's jobs are ordinary Spark applications, so Airflow submits them with SparkSubmitOperator
(apache-airflow-providers-apache-spark). The jar is the shaded jobs jar of the build that matches the
cluster's Spark, copied where the Spark client can read it:
  - Spark 4.x (Scala 2.13): `mvn -B package`, jobs/target/sparkfit-jobs-VERSION-spark4.2_2.13.jar;
  - Spark 3.5 (Scala 2.12): `mvn -B -Pspark-3.5 package`,
    jobs/target/spark3.5_2.12/sparkfit-jobs-VERSION-spark3.5_2.12.jar (the one with training.engine = dl4j).
The config file is one of conf/*.conf, adapted. Sparkfit settings travel as application arguments
(`key=value`); Spark settings go in `conf`.

On YARN, the `spark_default` connection's host is `yarn`; YarnHdfsIT runs the same jobs against
Hadoop's own mini clusters (docs/operations.md, "YARN and HDFS"). This DAG submits in client mode,
with the config's absolute path. For cluster mode, where the driver runs in a YARN container, set the
connection's deploy-mode to cluster, ship the config with `files=CONFIG` and pass its file name
("quickstart.conf") instead of the path, as that test does:
  spark-submit --master yarn --deploy-mode cluster --queue default --files quickstart.conf
    --class io.sparkfit.jobs.TrainJob sparkfit-jobs-VERSION-spark4.2_2.13.jar --resume-if-present quickstart.conf
    data.train=hdfs://NAMENODE/data/customers output.dir=hdfs://NAMENODE/models/customers ...
Each epoch is a barrier stage that needs all its executors at once: size the queue for the
application master and spark.executor.instances executors (with their memory overhead); a queue too
small fails the task in one line (exit 2) instead of waiting.

Exit codes (docs/operations.md, "The CLI contract"): 0 success, 2 bad config or input found before
training (or an output another run holds), 3 data that failed validation during the run, 4 the drift
gate stopped training, 5 the challenger was not promoted, 143 stopped by SIGTERM (Airflow's task
timeout or a manual kill) at a safe point, 1 anything else. Airflow retries
any failure; a retry of the train task passes `--resume-if-present`, so it continues from the last
checkpoint of the run that died or was stopped instead of starting over, and the previous day's
output is never touched until the new one is complete. A second DAG run on the same day's output is
refused at once while the first holds its lease (retry_delay is well past the lease's 60 s timeout,
so a retry after a crash takes it over).
"""
from datetime import datetime, timedelta
import re

from airflow import DAG
from airflow.exceptions import AirflowException, AirflowSkipException
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

# The default (Spark 4.2, Scala 2.13) build's jar; on a Spark 3.5 cluster, the -spark3.5_2.12.jar.
SPARKFIT_JAR = "/opt/sparkfit/sparkfit-jobs-0.1.0-SNAPSHOT-spark4.2_2.13.jar"
CONFIG = "/opt/sparkfit/conf/quickstart.conf"
DATA = "hdfs:///data/customers"
MODELS = "hdfs:///models/customers"
CURRENT = MODELS + "/current"

# Sparkfit's verdicts (docs/operations.md): the drift gate stopped training, the challenger was not promoted.
GATE_EXIT_CODES = (4, 5)

SPARK_CONF = {
    "spark.executor.memory": "4g",
    # ND4J keeps its arrays off-heap: give executors room outside the Java heap.
    "spark.executor.memoryOverhead": "2g",
    # Sparkfit's training runs each epoch as a barrier stage, which Spark refuses with dynamic allocation.
    "spark.dynamicAllocation.enabled": "false",
}


class GatedSparkSubmitOperator(SparkSubmitOperator):
    """A SparkSubmitOperator whose job ending with one of Sparkfit's gate exit codes is skipped, not failed.

    SparkSubmitHook raises AirflowException("Cannot execute: ... Error code is: N.") when spark-submit
    exits non-zero; a gate's code becomes AirflowSkipException, which skips the downstream tasks and is
    not retried. Any other failure stays a failure.
    """

    def __init__(self, *, skip_on_exit_codes=GATE_EXIT_CODES, **kwargs):
        super().__init__(**kwargs)
        self.skip_on_exit_codes = tuple(skip_on_exit_codes)

    def execute(self, context):
        try:
            return super().execute(context)
        except AirflowException as failure:
            code = re.search(r"Error code is: (\d+)", str(failure))
            if code and int(code.group(1)) in self.skip_on_exit_codes:
                raise AirflowSkipException(
                    f"Sparkfit's gate stopped {self.task_id} (exit code {code.group(1)}): the model in service stays"
                ) from failure
            raise


with DAG(
    dag_id="sparkfit_retrain",
    schedule="@daily",
    start_date=datetime(2026, 11, 1),
    catchup=False,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
    tags=["sparkfit"],
) as dag:
    train = GatedSparkSubmitOperator(
        task_id="train",
        application=SPARKFIT_JAR,
        java_class="io.sparkfit.jobs.TrainJob",
        conn_id="spark_default",
        conf=SPARK_CONF,
        application_args=[
            "--resume-if-present",
            CONFIG,
            "data.train=" + DATA + "/{{ ds }}/train",
            "data.validation=" + DATA + "/{{ ds }}/validation",
            "output.dir=" + MODELS + "/{{ ds }}",
            # Never true here: a day whose model is in service is never written again (a re-run of a
            # finished day fails with exit 2; retries of an unfinished one resume, --resume-if-present).
            "output.overwrite=false",
            "guard.drift.reference=" + CURRENT,
            "guard.drift.on-violation=fail",
        ],
    )

    compare = GatedSparkSubmitOperator(
        task_id="compare",
        application=SPARKFIT_JAR,
        java_class="io.sparkfit.jobs.CompareJob",
        conn_id="spark_default",
        conf=SPARK_CONF,
        application_args=[
            "--champion", CURRENT,
            "--challenger", MODELS + "/{{ ds }}",
            "--data", DATA + "/{{ ds }}/holdout",
            "--output", MODELS + "/{{ ds }}-gate.json",
            "guard.promote.min-improvement=0",
            "guard.promote.alpha=0.05",
        ],
    )

    promote = GatedSparkSubmitOperator(
        task_id="promote",
        application=SPARKFIT_JAR,
        java_class="io.sparkfit.jobs.PromoteJob",
        conn_id="spark_default",
        conf=SPARK_CONF,
        application_args=[
            "--model", MODELS + "/{{ ds }}",
            "--current", CURRENT,
            "--verdict", MODELS + "/{{ ds }}-gate.json",
        ],
    )

    train >> compare >> promote

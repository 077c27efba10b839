"""Nightly retraining with Sparkfit: train on the day's data, then evaluate the new model on a holdout.

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
training (or an output another run holds), 3 data that failed validation during the run, 143 stopped
by SIGTERM (Airflow's task timeout or a manual kill) at a safe point, 1 anything else. Airflow retries
any failure; a retry of the train task passes `--resume-if-present`, so it continues from the last
checkpoint of the run that died or was stopped instead of starting over, and the previous day's
output is never touched until the new one is complete. A second DAG run on the same day's output is
refused at once while the first holds its lease (retry_delay is well past the lease's 60 s timeout,
so a retry after a crash takes it over).
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

# The default (Spark 4.2, Scala 2.13) build's jar; on a Spark 3.5 cluster, the -spark3.5_2.12.jar.
SPARKFIT_JAR = "/opt/sparkfit/sparkfit-jobs-0.1.0-SNAPSHOT-spark4.2_2.13.jar"
CONFIG = "/opt/sparkfit/conf/quickstart.conf"
DATA = "hdfs:///data/customers"
MODELS = "hdfs:///models/customers"

SPARK_CONF = {
    "spark.executor.memory": "4g",
    # ND4J keeps its arrays off-heap: give executors room outside the Java heap.
    "spark.executor.memoryOverhead": "2g",
    # Sparkfit's training runs each epoch as a barrier stage, which Spark refuses with dynamic allocation.
    "spark.dynamicAllocation.enabled": "false",
}

with DAG(
    dag_id="sparkfit_retrain",
    schedule="@daily",
    start_date=datetime(2026, 11, 1),
    catchup=False,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
    tags=["sparkfit"],
) as dag:
    train = SparkSubmitOperator(
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
            "output.overwrite=true",
        ],
    )

    evaluate = SparkSubmitOperator(
        task_id="evaluate",
        application=SPARKFIT_JAR,
        java_class="io.sparkfit.jobs.EvaluateJob",
        conn_id="spark_default",
        conf=SPARK_CONF,
        application_args=[
            "--model", MODELS + "/{{ ds }}",
            "--data", DATA + "/{{ ds }}/holdout",
            "--output", MODELS + "/{{ ds }}-holdout-metrics.json",
            "metrics.names=[accuracy,f1,auc,confusion-matrix]",
            "metrics.exact-auc=true",
        ],
    )

    train >> evaluate

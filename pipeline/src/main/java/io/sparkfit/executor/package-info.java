/**
 * What every Sparkfit task does on an executor before it touches a network, whoever runs it
 * (training workers, the validation pass, scoring): ND4J's threads held to the task's cores, the
 * task's device bound, and networks kept per executor between Spark jobs.
 */
package io.sparkfit.executor;

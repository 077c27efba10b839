package io.sparkfit.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Where a model came from, saved beside it as {@code provenance.json}: the resolved config (secrets
 * masked), the inputs with their row counts, the versions that built and ran it, the Spark
 * application, the git commit of the build when known, and when it ran.
 *
 * @param inputs per input key ({@code data.train}, {@code data.validation}): path and row counts
 * @param versions library versions, at build time and at run time
 */
public record Provenance(
    JsonNode config,
    Map<String, Object> inputs,
    Map<String, Object> model,
    Map<String, String> versions,
    String gitCommit,
    String sparkAppId,
    String sparkMaster,
    String started,
    String finished) {}

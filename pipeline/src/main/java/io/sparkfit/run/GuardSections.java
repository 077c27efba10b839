package io.sparkfit.run;

import io.sparkfit.guard.Comparison;
import io.sparkfit.guard.DriftTable;
import java.util.Locale;

/** The sections of {@code report.html} that the guards add: the drift table and the gate's verdict. */
final class GuardSections {
  private GuardSections() {}

  /** One row per column: its status, null rates, PSI, KS and unseen share against the reference; drifted rows marked. */
  static String drift(DriftTable table) {
    StringBuilder t = new StringBuilder();
    t.append("<h2>Drift against the reference</h2>\n<p>")
        .append(RunReport.escape(String.format(
            Locale.ROOT, "%s: %d rows then, %d now; %d of %d columns drifted (on violation: %s).",
            table.reference(), table.referenceRows(), table.rows(), table.violations().size(), table.columns().size(), table.onViolation())))
        .append("</p>\n<table class=\"drift\"><tr><th>column</th><th>kind</th><th>status</th><th>null rate (then → now)</th>")
        .append("<th>PSI</th><th>KS</th><th>unseen share (then → now)</th><th>violations</th></tr>");
    for (DriftTable.ColumnDrift c : table.columns()) {
      boolean drifted = !c.violations().isEmpty();
      t.append(drifted ? "<tr class=\"drifted\" style=\"background:#fde0dc\">" : "<tr>")
          .append("<td style=\"text-align:left\">").append(RunReport.escape(c.column())).append("</td><td>")
          .append(RunReport.escape(c.kind())).append("</td><td>").append(RunReport.escape(c.status())).append("</td><td>")
          .append(pair(c.referenceNullRate(), c.nullRate())).append("</td><td>").append(number(c.psi())).append("</td><td>")
          .append(number(c.ks())).append("</td><td>").append(pair(c.referenceUnseenShare(), c.unseenShare()))
          .append("</td><td style=\"text-align:left\">").append(RunReport.escape(String.join("; ", c.violations()))).append("</td></tr>");
    }
    return t.append("</table>\n").toString();
  }

  /** The verdict in a line, then both models' scores and the paired statistics. */
  static String gate(Comparison c) {
    StringBuilder t = new StringBuilder("<h2>Champion/challenger gate</h2>\n");
    t.append("<p class=\"verdict\" style=\"font-weight:bold;color:").append(c.passed() ? "#2a7d2a" : "#b22222").append("\">")
        .append(RunReport.escape(c.line())).append("</p>\n<table class=\"gate\">");
    String weighted = c.weighting() == null ? "" : "weighted ";
    if (c.weighting() != null) {
      row(t, "rows weighed by", "column '" + c.weighting().column() + "': Σw " + number(c.weighting().sumWeight())
          + ", effective rows " + number(c.weighting().effectiveRows()));
    }
    if (c.classes() != null) {
      Comparison.Classes k = c.classes();
      row(t, "champion " + weighted + "accuracy", accuracy(k.championAccuracy(), c.alpha()));
      row(t, "challenger " + weighted + "accuracy", accuracy(k.challengerAccuracy(), c.alpha()));
      row(t, "both right / only champion / only challenger", k.bothRight() + " / " + k.championOnly() + " / " + k.challengerOnly());
      row(t, "McNemar exact p (two-sided)", number(k.mcnemarExactP()));
    }
    if (c.target() != null) {
      Comparison.Target r = c.target();
      row(t, "champion / challenger " + weighted + "MSE", number(r.championMse()) + " / " + number(r.challengerMse()));
      row(t, weighted + "mean d (champion's squared error − challenger's)", number(r.meanD()));
      row(t, (c.weighting() == null ? "paired" : "weighted paired") + " t, p (two-sided)", number(r.t()) + ", " + number(r.pairedTP()));
    }
    if (c.auc() != null) {
      row(t, "AUC champion / challenger", number(c.auc().champion()) + " / " + number(c.auc().challenger()) + " (" + c.auc().method() + ")");
    }
    row(t, "shortfall p (" + c.test() + ")", number(c.shortfallP()));
    return t.append("</table>\n").toString();
  }

  private static void row(StringBuilder t, String name, String value) {
    t.append("<tr><th style=\"text-align:left\">").append(RunReport.escape(name)).append("</th><td style=\"text-align:left\">")
        .append(RunReport.escape(value)).append("</td></tr>");
  }

  private static String accuracy(Comparison.Accuracy a, double alpha) {
    return String.format(Locale.ROOT, "%.4f (%.0f%% interval %.4f–%.4f)", a.value(), 100 * (1 - alpha), a.low(), a.high());
  }

  private static String pair(Double then, Double now) {
    return then == null && now == null ? "" : number(then) + " → " + number(now);
  }

  private static String number(Double v) {
    return v == null || !Double.isFinite(v) ? "–" : String.format(Locale.ROOT, "%.4g", v);
  }
}
